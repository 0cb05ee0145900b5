// Section 4: logout on instance A until the first 401 on instance B, both on one PostgreSQL.
import type { BenchOptions } from "./bench-options.ts";
import type { GoalRow } from "./goals-table.ts";
import { benchEmail, logout, meStatus, register, signin } from "./lib/api-client.ts";
import type { ApiServer } from "./lib/api-server-process.ts";

/** A trial that sees no 401 by then has failed; the goal is 1 s. */
export const GIVE_UP_MS = 10_000;

export interface RevocationResult {
  /** Per trial, milliseconds from logout's response on A to B's first 401. */
  trials: number[];
  /** Polls of B per trial, summed: 1 per trial means B refused at once. */
  polls: number;
}

/**
 * Per trial: sign in on A, have B accept the token (so a cache, if any, holds it), log out on
 * A, then poll B's `auth.me` back to back. The clock starts when A's logout answers: the
 * revocation has committed by then.
 */
export async function measureRevocation(a: ApiServer, b: ApiServer, options: BenchOptions): Promise<RevocationResult> {
  const email = benchEmail(0, `revoke-${Date.now()}`);
  await register(a.origin, email, "10.3.0.1");
  const trials: number[] = [];
  let polls = 0;
  for (let trial = 0; trial < options.revocationTrials; trial++) {
    const { accessToken } = await signin(a.origin, email, "10.3.0.1");
    const accepted = await meStatus(b.origin, accessToken);
    if (accepted !== 200) throw new Error(`instance B answered ${accepted} to a fresh token`);
    await logout(a.origin, accessToken);
    const start = performance.now();
    for (;;) {
      polls++;
      const status = await meStatus(b.origin, accessToken);
      const elapsed = performance.now() - start;
      if (status === 401) {
        trials.push(elapsed);
        break;
      }
      if (status !== 200) throw new Error(`instance B answered ${status} while polling`);
      if (elapsed > GIVE_UP_MS) {
        trials.push(Number.POSITIVE_INFINITY);
        break;
      }
    }
  }
  return { trials, polls };
}

export const median = (values: readonly number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)] ?? Number.NaN;
export const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : `> ${GIVE_UP_MS} ms`);

export function printRevocation(result: RevocationResult): void {
  const { trials, polls } = result;
  console.log(`  ${trials.length} trials: median ${ms(median(trials))}, worst ${ms(Math.max(...trials))}, ${polls} polls of B in all`);
}

export function revocationGoalRow(result: RevocationResult | { error: string }, mode: string): GoalRow {
  const what = `revocation seen by another instance (${mode})`;
  const goal = "≤ 1 s, worst of 20";
  if ("error" in result) return { what, goal, measured: `failed: ${result.error.split("\n")[0] ?? ""}`, met: null };
  const worst = Math.max(...result.trials);
  return { what, goal, measured: `worst ${ms(worst)}, median ${ms(median(result.trials))} (${result.trials.length} trials)`, met: worst <= 1000 };
}
