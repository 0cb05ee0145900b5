// Section 5: the demo's embedded (PGlite) start as users start it: apps/web/scripts/start.mjs
// on the production build, no DATABASE_URL and no AUTH_SECRET (the zero-setup path). Seconds
// from spawning it to its "listening" line, which it prints once the API has answered, that is
// once the database is open and migrated. A first start gets a fresh data directory (the build's
// template is copied); a restart reopens the one the previous start closed.
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { childEnv } from "./env.ts";
import { spawnUntilReady } from "./lib/child-process.ts";

const WEB_DIR = fileURLToPath(new URL("../../apps/web", import.meta.url));

export interface EmbeddedStartResult {
  /** Every run, in seconds, in the order measured. */
  firstStarts: number[];
  restarts: number[];
  firstStartSeconds: number;
  restartSeconds: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
};

/** Starts the app on `dataDir`, waits for "listening", stops it cleanly; seconds to listening. */
async function timeStart(dataDir: string, port: number): Promise<number> {
  const app = await spawnUntilReady({
    command: process.execPath,
    args: ["scripts/start.mjs"],
    cwd: WEB_DIR,
    env: childEnv({ NODE_ENV: "production", PORT: String(port), HOSTNAME: "127.0.0.1", PGLITE_DATA_DIR: dataDir }),
    ready: /listening on /,
    timeoutMs: 60_000,
  });
  // SIGTERM: the app closes PGlite cleanly, so the next start is a plain restart.
  await app.stop();
  return app.readyAfterMs / 1000;
}

/**
 * `runs` first starts, each on a fresh data directory, then `runs` restarts of the last one;
 * medians of each. `{ skipped }` without a production build.
 *
 * @example const result = await measureEmbeddedStart({ port: 4304, runs: 3 });
 */
export async function measureEmbeddedStart(options: { port: number; runs: number }): Promise<EmbeddedStartResult | { skipped: string }> {
  if (!existsSync(join(WEB_DIR, ".next", "BUILD_ID"))) return { skipped: "no production build; run `pnpm --filter @bearer-kit/web build` first" };
  const root = await mkdtemp(join(tmpdir(), "bearer-kit-embedded-start-"));
  try {
    const firstStarts: number[] = [];
    let dataDir = "";
    for (let run = 0; run < options.runs; run += 1) {
      dataDir = join(root, `run-${run}`, "pglite");
      firstStarts.push(await timeStart(dataDir, options.port));
    }
    const restarts: number[] = [];
    for (let run = 0; run < options.runs; run += 1) restarts.push(await timeStart(dataDir, options.port));
    return { firstStarts, restarts, firstStartSeconds: median(firstStarts), restartSeconds: median(restarts) };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
