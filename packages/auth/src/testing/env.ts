// The test harness's environment (the only place it reads process.env): which backend, and where the real server is.
export type TestBackend = "pglite" | "postgres";

export function testBackend(): TestBackend {
  const value = process.env.TEST_BACKEND ?? "pglite";
  if (value !== "pglite" && value !== "postgres") throw new Error(`TEST_BACKEND must be pglite or postgres (got ${value})`);
  return value;
}

/**
 * Where the embedded backend's PostgreSQL runs: `main`, in the test's own thread (PGlite), or
 * `worker`, behind `openEmbeddedDatabaseOnWorker`, as the demo runs it after a restart.
 */
export type TestEmbeddedThread = "main" | "worker";

export function testEmbeddedThread(): TestEmbeddedThread {
  const value = process.env.TEST_EMBEDDED_THREAD ?? "main";
  if (value !== "main" && value !== "worker") throw new Error(`TEST_EMBEDDED_THREAD must be main or worker (got ${value})`);
  return value;
}

export function testDatabaseUrl(): string {
  return process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
}
