import { defineConfig } from "vitest/config";

/** Vite's default server conditions, with the workspace's source condition (tsdown.shared.ts) first. */
const SOURCE_CONDITIONS = ["@bearer-kit/source", "module", "node", "development|production"];

/** Workspace packages resolve to their TypeScript source, not to a (possibly stale) dist. */
export const SOURCE_RESOLVE = {
  resolve: { conditions: SOURCE_CONDITIONS },
  ssr: { resolve: { conditions: SOURCE_CONDITIONS } },
};

/**
 * Every package's Vitest setup: the same suite runs twice, on embedded PGlite and on the real
 * PostgreSQL server (TEST_DATABASE_URL, default 127.0.0.1:5432), as two projects.
 */
export function defineBackendsConfig(): ReturnType<typeof defineConfig> {
  const backend = (name: "pglite" | "postgres") => ({
    extends: true as const,
    test: { name, env: { TEST_BACKEND: name } },
  });
  return defineConfig({
    test: {
      include: ["src/**/*.test.ts", "test/**/*.test.ts"],
      testTimeout: 30_000,
      hookTimeout: 60_000,
      projects: [backend("pglite"), backend("postgres")],
    },
    ...SOURCE_RESOLVE,
  });
}
