/**
 * Runs once when the server starts: validates the environment and opens the database, so a
 * bad variable or an unreachable database stops `next start` instead of failing the first request.
 */
export async function register(): Promise<void> {
  // NEXT_RUNTIME is inlined by the compiler, not configuration; the edge bundle must not see Node code.
  // eslint-disable-next-line no-restricted-properties
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getAuth } = await import("./server/auth.ts");
  await getAuth();
}
