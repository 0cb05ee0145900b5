import { closeUntakenEarlyDatabase } from "./server/early-database.ts";
import { servedByStartServer } from "./server/start-server.ts";

/**
 * Validates the environment at start-up: a bad variable stops the app with a message naming it,
 * instead of every request failing later.
 *
 * The database is deliberately not opened here (though `scripts/start.mjs` may have started opening
 * the embedded one, which the API takes over). Next bundles this hook apart from the route
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
    // The start script may have opened the embedded database already: close it, not abandon it.
    await closeUntakenEarlyDatabase();
    process.exit(1);
  }
}

/**
 * Stops the app when it was started without `scripts/start.mjs` (e.g. by `next start`). Only
 * that server tells the API each request's real peer address; without it a client could choose
 * its own session address and per-address throttling key.
 *
 * @example checkStartServer();
 */
export function checkStartServer(): void {
  if (servedByStartServer()) return;
  console.error(
    "bearer-kit web: start the app with `pnpm start` (apps/web/scripts/start.mjs), or `pnpm dev`, not `next start` " +
      "or `next dev`: only the start server passes each request's real client address to the API. " +
      "Behind a proxy, see docs/deployment.md.",
  );
  process.exit(1);
}
