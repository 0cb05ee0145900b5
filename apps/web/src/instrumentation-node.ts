/**
 * Validates the environment at start-up: a bad variable stops `next start` with a message
 * naming it, instead of every request failing later.
 *
 * The database is deliberately not opened here. Next bundles this hook apart from the route
 * handler, so an Auth built here would carry its own copy of the auth package, and the API's
 * `instanceof AuthError` checks would fail on its errors. `scripts/start.mjs` warms the
 * database up through the API instead.
 *
 * @example await checkEnvironment();
 */
export async function checkEnvironment(): Promise<void> {
  try {
    await import("./env.ts");
  } catch (error) {
    console.error(`bearer-kit web: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
