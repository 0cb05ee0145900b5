/**
 * Runs once when the server starts, before it answers requests. Node-only work lives in
 * `instrumentation-node.ts` so the edge build never compiles it.
 */
export async function register(): Promise<void> {
  // NEXT_RUNTIME is inlined by the compiler, not configuration read at run time.
  // eslint-disable-next-line no-restricted-properties
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { checkEnvironment, checkStartServer } = await import("./instrumentation-node.ts");
  checkStartServer();
  await checkEnvironment();
}
