import { defineConfig } from "vitest/config";

/** Vite's default server conditions, with the workspace's source condition (tsdown.shared.ts) first. */
const SOURCE_CONDITIONS = ["@bearer-kit/source", "module", "node", "development|production"];

/** Workspace packages resolve to their TypeScript source, not to a (possibly stale) dist. */
export const SOURCE_RESOLVE = {
  resolve: { conditions: SOURCE_CONDITIONS },
  ssr: { resolve: { conditions: SOURCE_CONDITIONS } },
};

/**
 * How long `expect.poll` waits for what a test awaits (a NOTIFY, a mail, a warning) before it
 * fails. Vitest's 1 s default assumes a quiet machine; with three files hashing passwords on
 * two shared cores, a NOTIFY or a mail can take longer than that to arrive. A wait ends as soon
 * as its event comes, so the long bound costs nothing when all is well. (`vi.waitFor` has no
 * such setting: its calls pass the same 10 s.)
 */
export const EVENT_WAIT = { timeout: 10_000 };

const TESTS = ["src/**/*.test.ts", "test/**/*.test.ts"];
/** Tests that compare response times: run alone, after everything else, one file at a time. */
const TIMING_TESTS = ["test/**/*.timing.test.ts"];

/**
 * Every package's Vitest setup: the same suite runs twice, on embedded PGlite and on the real
 * PostgreSQL server (TEST_DATABASE_URL, default 127.0.0.1:5432), as two projects.
 *
 * Timing tests (`*.timing.test.ts`, e.g. "a taken address answers as fast as a new one") run in
 * projects of their own once the rest has finished, one file at a time: measured while other
 * files hash passwords on the same two cores, their medians were noise.
 *
 * With `embeddedOnWorker`, the suite also runs a third time on PGlite behind
 * `openEmbeddedDatabaseOnWorker` (project `pglite-worker`), the client the demo runs on after a
 * restart: the core's own package runs it, so every query shape the core sends crosses the thread.
 */
export function defineBackendsConfig(options: { embeddedOnWorker?: boolean } = {}): ReturnType<typeof defineConfig> {
  const backend = (name: "pglite" | "postgres" | "pglite-worker") => ({
    extends: true as const,
    test: {
      name,
      env: name === "pglite-worker" ? { TEST_BACKEND: "pglite", TEST_EMBEDDED_THREAD: "worker" } : { TEST_BACKEND: name },
      include: TESTS,
      exclude: TIMING_TESTS,
      sequence: { groupOrder: 0 },
    },
  });
  const timing = (name: "pglite" | "postgres", groupOrder: number) => ({
    extends: true as const,
    test: {
      name: `${name}-timing`,
      env: { TEST_BACKEND: name },
      include: TIMING_TESTS,
      fileParallelism: false,
      sequence: { groupOrder },
    },
  });
  return defineConfig({
    test: {
      // Three files at once on two cores: much of a test is waiting on PostgreSQL or PGlite I/O.
      // Vitest's default here is one (cores - 1), which left a core idle for most of a run.
      maxWorkers: 3,
      // Worker threads that keep their module cache from file to file: loading drizzle, PGlite
      // and the rest afresh for every file was 40% of the auth suite's time. Every file builds its
      // own database, service and clock in its hooks, so nothing a test observes is shared.
      pool: "threads",
      isolate: false,
      testTimeout: 30_000,
      hookTimeout: 60_000,
      expect: { poll: EVENT_WAIT },
      projects: [
        backend("pglite"),
        backend("postgres"),
        ...(options.embeddedOnWorker ? [backend("pglite-worker")] : []),
        timing("pglite", 1),
        timing("postgres", 2),
      ],
    },
    ...SOURCE_RESOLVE,
  });
}
