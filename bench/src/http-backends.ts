// Section 2: the public/protected pair on packages/api over node:http, per backend and mode.
import type { BenchOptions } from "./bench-options.ts";
import { type GoalRow, ratio } from "./goals-table.ts";
import { measurePair, type PairResult } from "./http-pair.ts";
import { bearer, benchEmail, ENDPOINT, register } from "./lib/api-client.ts";
import { type ApiServer, type ApiServerOptions, startApiServer } from "./lib/api-server-process.ts";
import { freshDataDir } from "./lib/bench-database.ts";

export type Mode = "cached" | "strict";
export type Backend = "PostgreSQL" | "PGlite";

export interface PairRun {
  backend: Backend;
  mode: Mode;
  result: PairResult | { error: string };
}

/** 16 connections, as in the issue. */
const CONNECTIONS = 16;

/** Public `bench.user` against protected `auth.me`, on a server already running. */
export async function measureApiPair(server: ApiServer, options: BenchOptions): Promise<PairResult> {
  const { accessToken } = await register(server.origin, benchEmail(0, `pair-${Date.now()}`), "10.9.0.1");
  return measurePair(
    { url: `${server.origin}${ENDPOINT}/bench.user` },
    { url: `${server.origin}${ENDPOINT}/auth.me`, headers: bearer(accessToken) },
    { ...options, connections: CONNECTIONS },
  );
}

/** The server's settings for a mode; strict is all there is before the session cache exists. */
export function modeSetting(mode: Mode, cacheSupported: boolean): Pick<ApiServerOptions, "sessionCache"> {
  if (!cacheSupported) return {};
  return { sessionCache: mode === "cached" ? "on" : "off" };
}

/**
 * The PGlite pairs, one server per mode in turn on one data directory: the first start
 * initialises it, the next is a restart, which takes a fraction of the time.
 */
export async function measurePGlitePairs(modes: readonly Mode[], port: number, context: { options: BenchOptions; cacheSupported: boolean }): Promise<PairRun[]> {
  const dataDir = await freshDataDir("pglite");
  const runs: PairRun[] = [];
  try {
    for (const mode of modes) {
      let server: ApiServer | null = null;
      try {
        server = await startApiServer({ port, database: { dataDir: dataDir.path }, ...modeSetting(mode, context.cacheSupported) });
        runs.push({ backend: "PGlite", mode, result: await measureApiPair(server, context.options) });
      } catch (error) {
        runs.push({ backend: "PGlite", mode, result: { error: (error as Error).message } });
      } finally {
        await server?.stop();
      }
      printPair(runs[runs.length - 1] ?? { backend: "PGlite", mode, result: { error: "not run" } });
    }
    return runs;
  } finally {
    await dataDir.remove();
  }
}

export function printPair(run: PairRun): void {
  const label = `${run.backend}, ${run.mode}`.padEnd(20);
  if ("error" in run.result) {
    console.log(`  ${label} failed: ${run.result.error}`);
    return;
  }
  const { publicRps, protectedRps, failures } = run.result;
  console.log(
    `  ${label} public ${publicRps.toFixed(0).padStart(6)} req/s   protected ${protectedRps.toFixed(0).padStart(6)} req/s   protected/public ${ratio(run.result.ratio)}   (non-2xx: ${failures})`,
  );
}

/** The goal rows for the pairs: cached ≥ 0.85 on both backends, strict ≥ 0.55 on PostgreSQL. */
export function pairGoalRows(runs: readonly PairRun[], cacheSupported: boolean): GoalRow[] {
  const find = (backend: Backend, mode: Mode) => runs.find((run) => run.backend === backend && run.mode === mode);
  const row = (backend: Backend, mode: Mode, minimum: number): GoalRow => {
    const run = find(backend, mode);
    const what = `protected / public, ${mode}, ${backend}`;
    const goal = `≥ ${minimum.toFixed(2)}`;
    if (mode === "cached" && !cacheSupported) return { what, goal, measured: "no session cache in this build", met: null };
    if (!run) return { what, goal, measured: "not run", met: null };
    if ("error" in run.result) return { what, goal, measured: `failed: ${run.result.error.split("\n")[0] ?? ""}`, met: null };
    return { what, goal, measured: ratio(run.result.ratio, 3), met: run.result.ratio >= minimum };
  };
  return [row("PostgreSQL", "cached", 0.85), row("PGlite", "cached", 0.85), row("PostgreSQL", "strict", 0.55)];
}
