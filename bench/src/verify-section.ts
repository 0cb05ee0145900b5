// Section 1's figures and goal row: checkBearerToken warm against the raw HMAC floor.
import type { TokenVerifyCosts, VerifyCost } from "../../packages/auth/bench/token-verify.ts";
import { type GoalRow, ratio } from "./goals-table.ts";

const perSecond = (micros: number) => `${(1e6 / micros / 1000).toFixed(1)}k/s`;

export function printVerifyCosts(costs: TokenVerifyCosts): void {
  const floor = costs.hmacFloor.micros;
  const line = ({ label, micros }: VerifyCost) =>
    console.log(`  ${label.padEnd(52)} ${micros.toFixed(1).padStart(7)} µs  ${perSecond(micros).padStart(9)}  ${ratio(micros / floor).padStart(7)} floor`);
  for (const cost of [costs.hmacFloor, costs.jose, costs.ours.HS256.cold, costs.ours.HS256.warm, costs.ours.ES256.cold, costs.ours.ES256.warm]) line(cost);
}

/** The goal, on the default algorithm (ES256): ≥ 45k calls per second, i.e. ≤ 2× the floor. */
export function verifyGoalRow(costs: TokenVerifyCosts | { error: string }): GoalRow {
  const what = "checkBearerToken, warm (ES256, the default)";
  const goal = "≥ 45k/s on one thread, ≤ 2× the HMAC floor";
  if ("error" in costs) return { what, goal, measured: `failed: ${costs.error.split("\n")[0] ?? ""}`, met: null };
  const warm = costs.ours.ES256.warm.micros;
  const factor = warm / costs.hmacFloor.micros;
  return { what, goal, measured: `${perSecond(warm)}, ${ratio(factor)} floor (${warm.toFixed(1)} vs ${costs.hmacFloor.micros.toFixed(1)} µs)`, met: factor <= 2 };
}

export function embeddedGoalRows(result: { firstStartSeconds: number; restartSeconds: number } | { error: string } | { skipped: string }): GoalRow[] {
  if ("error" in result || "skipped" in result) {
    const measured = "error" in result ? `failed: ${result.error.split("\n")[0] ?? ""}` : `skipped: ${result.skipped}`;
    return [
      { what: "embedded first start", goal: "≤ 2 s", measured, met: null },
      { what: "embedded restart", goal: "≤ 1.5 s", measured, met: null },
    ];
  }
  return [
    { what: "embedded first start", goal: "≤ 2 s", measured: `${result.firstStartSeconds.toFixed(2)} s`, met: result.firstStartSeconds <= 2 },
    { what: "embedded restart", goal: "≤ 1.5 s", measured: `${result.restartSeconds.toFixed(2)} s`, met: result.restartSeconds <= 1.5 },
  ];
}
