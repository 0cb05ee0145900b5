// Section 3: the p99 of protected calls unloaded, then during a flood of concurrent sign-ins.
import type { BenchOptions } from "./bench-options.ts";
import { type GoalRow, ratio } from "./goals-table.ts";
import { BENCH_PASSWORD, bearer, benchEmail, ENDPOINT, register } from "./lib/api-client.ts";
import type { ApiServer } from "./lib/api-server-process.ts";
import { describeFailures, load, type LoadResult } from "./lib/load.ts";
import { type FloodResult as SigninsResult, startFlood } from "./lib/request-flood.ts";

/** `auth.me` at 20 connections, as in the issue. */
const PROTECTED_CONNECTIONS = 20;
/** The flood starts this long before the protected calls are measured, so it is at full strength. */
const RAMP_SECONDS = 1;

export interface FloodResult {
  unloaded: LoadResult;
  flooded: LoadResult;
  flood: SigninsResult;
}

/** A distinct address per simulated client: 10.1.x.y. */
const address = (index: number) => `10.1.${Math.floor(index / 250)}.${(index % 250) + 1}`;

/**
 * Each of the flood's connections signs in as one of `floodAccounts` users from one of
 * `floodSignins` addresses (X-Forwarded-For behind one trusted proxy), so no account or address
 * reaches a throttle limit: the flood measures argon2 and the event loop, not the throttle.
 */
export async function measureSigninFlood(server: ApiServer, options: BenchOptions): Promise<FloodResult> {
  const run = `flood-${Date.now()}`;
  const accounts = Array.from({ length: options.floodAccounts }, (_, index) => benchEmail(index, run));
  const [first] = await Promise.all(accounts.map((email, index) => register(server.origin, email, address(index))));
  if (!first) throw new Error("no account registered");
  const me = { url: `${server.origin}${ENDPOINT}/auth.me`, headers: bearer(first.accessToken), connections: PROTECTED_CONNECTIONS };
  const seconds = options.roundSeconds * 2;
  if (options.warmupSeconds > 0) await load({ ...me, seconds: options.warmupSeconds });
  const unloaded = await load({ ...me, seconds });

  let next = 0;
  const flood = startFlood(options.floodSignins, () => {
    const index = next++ % options.floodSignins;
    const email = accounts[index % accounts.length] ?? "";
    return {
      url: `${server.origin}${ENDPOINT}/auth.signin`,
      init: {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": address(index) },
        body: JSON.stringify({ email, password: BENCH_PASSWORD }),
      },
    };
  });
  await new Promise((resolve) => setTimeout(resolve, RAMP_SECONDS * 1000));
  const flooded = await load({ ...me, seconds });
  return { unloaded, flooded, flood: await flood.stop() };
}

export function printFlood(result: FloodResult, options: BenchOptions): void {
  const { unloaded, flooded, flood } = result;
  console.log(`  auth.me unloaded        p50 ${unloaded.latencyMs.p50} ms  p99 ${unloaded.latencyMs.p99} ms  ${unloaded.requestsPerSecond.toFixed(0)} req/s  (non-2xx: ${describeFailures(unloaded.failures)})`);
  console.log(`  auth.me during flood    p50 ${flooded.latencyMs.p50} ms  p99 ${flooded.latencyMs.p99} ms  ${flooded.requestsPerSecond.toFixed(0)} req/s  (non-2xx: ${describeFailures(flooded.failures)})`);
  console.log(
    `  the flood: ${options.floodSignins} concurrent sign-ins over ${options.floodAccounts} accounts; ${flood.ok} of ${flood.requests} answered 2xx (${flood.perSecond.toFixed(1)}/s, counting the wait for the last ones), p99 ${flood.p99Ms} ms  (non-2xx: ${describeFailures(flood.failures)})`,
  );
}

export function floodGoalRow(result: FloodResult | { error: string }, mode: string): GoalRow {
  const what = `p99 of protected calls during a sign-in flood (PostgreSQL, ${mode})`;
  const goal = "≤ 2× unloaded";
  if ("error" in result) return { what, goal, measured: `failed: ${result.error.split("\n")[0] ?? ""}`, met: null };
  const factor = result.flooded.latencyMs.p99 / Math.max(1, result.unloaded.latencyMs.p99);
  return { what, goal, measured: `${ratio(factor)} (${result.unloaded.latencyMs.p99} → ${result.flooded.latencyMs.p99} ms)`, met: factor <= 2 };
}
