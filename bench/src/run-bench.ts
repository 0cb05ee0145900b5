// One `pnpm bench` run: every section in turn, one server at a time, then the goals.
import { measureTokenVerify } from "../../packages/auth/bench/token-verify.ts";
import type { BenchOptions } from "./bench-options.ts";
import { measureDemoPair } from "./demo-pair.ts";
import { measureEmbeddedStart } from "./embedded-start.ts";
import type { GoalRow } from "./goals-table.ts";
import { measureApiPair, measurePGlitePairs, type Mode, modeSetting, pairGoalRows, type PairRun, printPair } from "./http-backends.ts";
import { startApiServer, type ApiServer } from "./lib/api-server-process.ts";
import { freshPostgresDatabase } from "./lib/bench-database.ts";
import { dpopGoalRow, measureDPoPPair, printDPoPPair } from "./dpop-pair.ts";
import { feedRevocationGoalRow, measureFeedRevocation, printFeedRevocation } from "./feed-revocation.ts";
import { measureRevocation, printRevocation, revocationGoalRow } from "./revocation-latency.ts";
import { floodGoalRow, measureSigninFlood, printFlood } from "./signin-flood.ts";
import { embeddedGoalRows, printVerifyCosts, verifyGoalRow } from "./verify-section.ts";

const heading = (title: string) => console.log(`\n## ${title}`);
const failure = (error: unknown) => ({ error: error instanceof Error ? error.message : String(error) });

/** Runs `task`; a failure is printed and returned, so one broken section never hides the rest. */
async function attempt<T>(task: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await task();
  } catch (error) {
    console.log(`  failed: ${failure(error).error}`);
    return failure(error);
  }
}

export async function runBench(options: BenchOptions, cacheSupported: boolean): Promise<GoalRow[]> {
  const rows: GoalRow[] = [];
  const modes: Mode[] = cacheSupported ? ["strict", "cached"] : ["strict"];
  // Sign-in floods and revocation run as deployed: the default mode.
  const defaultMode: Mode = cacheSupported ? "cached" : "strict";
  const pg = await freshPostgresDatabase(options.postgresUrl, options.databaseName);
  if ("error" in pg) console.log(`PostgreSQL unavailable (${pg.error}): its sections are not measured.`);
  const pgUrl = async () => ("url" in pg ? pg.url : Promise.reject(new Error(`PostgreSQL unavailable: ${pg.error}`)));

  heading("1. Token verify, per call, one thread (sessions on PostgreSQL)");
  const costs = await attempt(async () => measureTokenVerify({ databaseUrl: await pgUrl(), rounds: options.smoke ? 1 : 5, roundSeconds: options.smoke ? 0.05 : 0.4, coldTokens: options.smoke ? 200 : 6000 }));
  if (!("error" in costs)) printVerifyCosts(costs);
  rows.push(verifyGoalRow(costs));

  const startRuns = options.smoke ? 1 : 5;
  heading(`5. Embedded (PGlite) first start and restart of apps/web/scripts/start.mjs, spawn to listening, median of ${startRuns} each`);
  const embedded = await attempt(() => measureEmbeddedStart({ port: options.portBase + 4, runs: startRuns }));
  if ("skipped" in embedded) console.log(`  skipped: ${embedded.skipped}`);
  else if (!("error" in embedded)) {
    const list = (runs: number[]) => runs.map((seconds) => seconds.toFixed(2)).join(", ");
    console.log(`  first start ${embedded.firstStartSeconds.toFixed(2)} s (${list(embedded.firstStarts)}), restart ${embedded.restartSeconds.toFixed(2)} s (${list(embedded.restarts)})`);
  }

  heading(`2. HTTP, packages/api on node:http: public bench.user vs protected auth.me, 16 connections, ${options.rounds} alternating rounds of ${options.roundSeconds} s`);
  if (!cacheSupported) console.log("  this build has no session cache (AUTH_SESSION_CACHE unknown): strict mode only");
  const pairs: PairRun[] = [];
  let kept: ApiServer | null = null;
  for (const mode of modes) {
    const result = await attempt(async () => {
      const server = await startApiServer({ port: options.portBase, database: { url: await pgUrl() }, ...modeSetting(mode, cacheSupported) });
      try {
        return await measureApiPair(server, options);
      } finally {
        if (mode === defaultMode) kept = server;
        else await server.stop();
      }
    });
    pairs.push({ backend: "PostgreSQL", mode, result });
    printPair({ backend: "PostgreSQL", mode, result });
  }
  pairs.push(...(await measurePGlitePairs(modes, options.portBase + 1, { options, cacheSupported })));
  rows.push(...pairGoalRows(pairs, cacheSupported));

  heading(`3. auth.me at 20 connections, unloaded then during ${options.floodSignins} concurrent sign-ins (PostgreSQL, ${defaultMode})`);
  const serverA: ApiServer | null = kept;
  const flood = await attempt(async () => {
    if (!serverA) throw new Error("no PostgreSQL server");
    return measureSigninFlood(serverA, options);
  });
  if (!("error" in flood)) printFlood(flood, options);
  rows.push(floodGoalRow(flood, defaultMode));

  heading(`4. Revocation across two processes on one PostgreSQL (${defaultMode}): logout on A to the first 401 on B`);
  const revocation = await attempt(async () => {
    if (!serverA) throw new Error("no PostgreSQL server");
    const serverB = await startApiServer({ port: options.portBase + 2, database: { url: await pgUrl() }, ...modeSetting(defaultMode, cacheSupported) });
    try {
      return await measureRevocation(serverA, serverB, options);
    } finally {
      await serverB.stop();
    }
  });
  if (!("error" in revocation)) printRevocation(revocation);
  rows.push(revocationGoalRow(revocation, defaultMode));
  await (serverA as ApiServer | null)?.stop();

  heading("7. Revocation on the web app to the first 401 from a verifier in another process (apps/notes on the security-event feed, PostgreSQL)");
  const feedRevocation = await attempt(async () => measureFeedRevocation(await pgUrl(), { api: options.portBase + 5, notes: options.portBase + 6 }, options));
  if (!("error" in feedRevocation)) printFeedRevocation(feedRevocation);
  rows.push(feedRevocationGoalRow(feedRevocation));

  heading(`8. DPoP: auth.me with a DPoP-bound token and a fresh proof vs a bearer token, ${options.rounds} alternating rounds of ${options.roundSeconds} s, 64 connections (PostgreSQL)`);
  const dpop = await attempt(async () => measureDPoPPair(await pgUrl(), options.portBase + 7, options));
  if (!("error" in dpop)) printDPoPPair(dpop);
  rows.push(dpopGoalRow(dpop));
  rows.push(...embeddedGoalRows(embedded));

  heading("6. For information: the same pair through the demo's server (apps/web), PostgreSQL");
  if (options.smoke) console.log("  skipped in a smoke run");
  else {
    const demo = await attempt(async () => measureDemoPair(await pgUrl(), options.portBase + 3, options));
    if ("skipped" in demo) console.log(`  skipped: ${demo.skipped}`);
    else if (!("error" in demo)) {
      console.log(`  public (auth.me, no token: 401) ${demo.publicRps.toFixed(0)} req/s   protected (auth.me) ${demo.protectedRps.toFixed(0)} req/s   protected/public ${demo.ratio.toFixed(2)}×`);
    }
  }
  return rows;
}
