import { defineConfig } from "vitest/config";

// The same suite runs twice: on embedded PGlite and on the real PostgreSQL server.
const backend = (name: "pglite" | "postgres") => ({
  extends: true as const,
  test: { name, env: { TEST_BACKEND: name } },
});

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    fileParallelism: true,
    projects: [backend("pglite"), backend("postgres")],
  },
});
