// With verification required, a registration for a taken address must cost what one for a new
// address costs, measured as a client would: HTTP round trips, medians within 25%.
import { createDevMailbox, OWASP_ARGON2ID } from "@bearer-kit/auth";
import { describe, expect, it } from "vitest";
import { email, PASSWORD } from "../fixture.ts";
import { useHttp } from "../http-fixture.ts";

// The production hash cost: the comparison is of what a real deployment does.
const h = useHttp({ requireEmailVerification: true, mailer: createDevMailbox(), passwordParams: OWASP_ARGON2ID });
const SAMPLES = 15;
const MAX_RATIO = 1.25;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

async function timedRegister(address: string): Promise<{ ms: number; status: number; body: unknown }> {
  const started = performance.now();
  const response = await h.post("auth.register", { email: address, password: PASSWORD, name: "Ann" });
  const body = (await response.json()) as { result: { data: { email: string } } };
  const ms = performance.now() - started;
  // Each request's after-the-answer work is done before the next is timed, whichever kind it was.
  await h.t.auth.idle();
  return { ms, status: response.status, body: { ...body.result.data, email: "<address>" } };
}

describe("registration timing with verification required", () => {
  it(`a taken address and a new one answer alike, medians within ${Math.round((MAX_RATIO - 1) * 100)}%`, async () => {
    const taken = Array.from({ length: SAMPLES }, () => email("taken"));
    for (const address of taken) await timedRegister(address);
    const [forTaken, forNew]: [number[], number[]] = [[], []];
    for (const [sample, address] of taken.entries()) {
      // Alternate which kind goes first, so any effect of order cancels out.
      const pair = sample % 2 === 0 ? [address, email("new")] : [email("new"), address];
      for (const next of pair) {
        const timed = await timedRegister(next);
        expect(timed.status).toBe(200);
        expect(timed.body).toEqual({ verificationRequired: true, email: "<address>" });
        (next === address ? forTaken : forNew).push(timed.ms);
      }
    }
    const [a, b] = [median(forTaken), median(forNew)];
    const ratio = Math.max(a, b) / Math.min(a, b);
    expect(ratio, `medians: taken ${a.toFixed(1)} ms, new ${b.toFixed(1)} ms`).toBeLessThanOrEqual(MAX_RATIO);
  });
});
