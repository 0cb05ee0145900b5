// Account enumeration by timing: an unknown email must cost what a wrong password costs (the
// server verifies against a dummy hash). Samples are interleaved, each on a fresh account or a
// fresh unknown address, so neither throttling nor warm-up favours one kind.
import { defineGroup } from "../conformance-case.ts";
import type { ConformanceContext } from "../context.ts";
import { fail } from "../lib/expect.ts";
import { median } from "../lib/median.ts";
import { attemptSignin, expectInvalidCredentials } from "../lib/signin.ts";
import { registerUser, signinUser, uniqueEmail } from "../lib/users.ts";

const MAX_RATIO = 1.25;

async function timedFailure(ctx: ConformanceContext, credentials: { email: string; password: string }): Promise<number> {
  const response = await attemptSignin(ctx, credentials);
  expectInvalidCredentials(ctx, response);
  return response.ms;
}

/** The timing half of account-enumeration resistance. */
export const signinTimingCases = defineGroup("signin", [
  {
    name: `unknown email vs wrong password: median times within ${Math.round((MAX_RATIO - 1) * 100)}%`,
    run: async (ctx) => {
      // A successful sign-in first (it costs no attempt): lazy set-up such as a dummy hash is then done.
      await signinUser(ctx, await registerUser(ctx));
      // Accounts first: registering hashes a password (argon2, 19 MiB), which would disturb
      // whichever measurement came right after it.
      const accounts = [];
      for (let sample = 0; sample < ctx.options.timingSamples; sample++) accounts.push(await registerUser(ctx));
      const wrong: number[] = [];
      const unknown: number[] = [];
      for (const [sample, account] of accounts.entries()) {
        const wrongPassword = () => timedFailure(ctx, { email: account.email, password: "wrong password" });
        const unknownEmail = () => timedFailure(ctx, { email: uniqueEmail("ghost"), password: "wrong password" });
        // Alternate which kind goes first, so any effect of order cancels out.
        if (sample % 2 === 0) {
          wrong.push(await wrongPassword());
          unknown.push(await unknownEmail());
        } else {
          unknown.push(await unknownEmail());
          wrong.push(await wrongPassword());
        }
      }
      const [a, b] = [median(unknown), median(wrong)];
      const ratio = Math.max(a, b) / Math.min(a, b);
      const summary = `ratio ${ratio.toFixed(2)} (medians: unknown email ${a.toFixed(1)} ms, wrong password ${b.toFixed(1)} ms, ${wrong.length} samples each)`;
      if (ratio > MAX_RATIO) fail(summary);
      ctx.note(summary);
    },
  },
]);
