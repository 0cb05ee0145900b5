// Section 3: the p99 of protected calls unloaded, then during a flood of concurrent sign-ins.
import type { BenchOptions } from "./bench-options.ts";
import { type GoalRow, ratio } from "./goals-table.ts";
import { BENCH_PASSWORD, bearer, benchEmail, ENDPOINT, register } from "./lib/api-client.ts";
import type { ApiServer } from "./lib/api-server-process.ts";
import { type ClosedLoopResult, startClosedLoop } from "./lib/closed-loop.ts";
import { describeFailures } from "./lib/load.ts";

/** `auth.me` at 20 connections, as in the issue. */
const PROTECTED_CONNECTIONS = 20;
/** The flood starts this long before the protected calls are measured, so it is at full strength. */
const RAMP_SECONDS = 1;

export interface FloodResult {
  unloaded: ClosedLoopResult;
  flooded: ClosedLoopResult;
  signins: ClosedLoopResult;
}

/** A distinct address per simulated client: 10.1.x.y. */
const address = (index: number) => `10.1.${Math.floor(index / 250)}.${(index % 250) + 1}`;
const pause = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

/**
 * The flood's sign-ins spread over `floodAccounts` users and `floodSignins` addresses
 * (X-Forwarded-For behind one trusted proxy), so no account or address reaches a throttle
 * limit: the flood measures password hashing and the event loop, not the throttle.
 * Both p99 windows count the calls still unanswered when they close (see closed-loop.ts).
 */
export async function measureSigninFlood(server: ApiServer, options: BenchOptions): Promise<FloodResult> {
  const run = `flood-${Date.now()}`;
  const accounts = Array.from({ length: options.floodAccounts }, (_, index) => benchEmail(index, run));
  const [first] = await Promise.all(accounts.map((email, index) => register(server.origin, email, address(index))));
  if (!first) throw new Error("no account registered");
  const me = () => ({ url: `${server.origin}${ENDPOINT}/auth.me`, init: { headers: bearer(first.accessToken) } });
  const seconds = options.roundSeconds * 2;
  const window = async () => {
    const loop = startClosedLoop(PROTECTED_CONNECTIONS, me);
    await pause(seconds);
    return loop.stop();
  };
  if (options.warmupSeconds > 0) {
    const warmup = startClosedLoop(PROTECTED_CONNECTIONS, me);
    await pause(options.warmupSeconds);
    await warmup.stop();
  }
  const unloaded = await window();

  let next = 0;
  const flood = startClosedLoop(options.floodSignins, () => {
    const index = next++ % options.floodSignins;
    const init = {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": address(index) },
      body: JSON.stringify({ email: accounts[index % accounts.length] ?? "", password: BENCH_PASSWORD }),
    };
    return { url: `${server.origin}${ENDPOINT}/auth.signin`, init };
  });
  await pause(RAMP_SECONDS);
  const flooded = await window();
  return { unloaded, flooded, signins: await flood.stop() };
}

const describe = (result: ClosedLoopResult) =>
  `p50 ${result.p50Ms} ms  p99 ${result.p99Ms} ms  ${result.perSecond.toFixed(0)} req/s  (non-2xx: ${describeFailures(result.failures)})`;

export function printFlood(result: FloodResult, options: BenchOptions): void {
  const { unloaded, flooded, signins } = result;
  console.log(`  auth.me unloaded        ${describe(unloaded)}`);
  console.log(`  auth.me during flood    ${describe(flooded)}`);
  console.log(
    `  the flood: ${options.floodSignins} concurrent sign-ins over ${options.floodAccounts} accounts; ${signins.ok} of ${signins.requests} answered 2xx (${signins.perSecond.toFixed(1)}/s), p99 ${signins.p99Ms} ms  (non-2xx: ${describeFailures(signins.failures)})`,
  );
}

export function floodGoalRow(result: FloodResult | { error: string }, mode: string): GoalRow {
  const what = `p99 of protected calls during a sign-in flood (PostgreSQL, ${mode})`;
  const goal = "≤ 2× unloaded";
  if ("error" in result) return { what, goal, measured: `failed: ${result.error.split("\n")[0] ?? ""}`, met: null };
  const { unloaded, flooded } = result;
  if (unloaded.ok === 0 || flooded.ok === 0) return { what, goal, measured: "no protected call succeeded in a window", met: false };
  const factor = flooded.p99Ms / Math.max(1, unloaded.p99Ms);
  return { what, goal, measured: `${ratio(factor)} (${unloaded.p99Ms} → ${flooded.p99Ms} ms)`, met: factor <= 2 };
}
