// The mfaToken of a second step: only one the server issued works, once, for a few wrong codes,
// and for 5 minutes.
import { randomBytes } from "node:crypto";
import { defineGroup } from "../conformance-case.ts";
import { authPayloadOf } from "../lib/payloads.ts";
import { expectRefused, registerTOTPUser, startSignin, verifySecondFactor } from "../lib/two-factor.ts";

/** Wrong codes an mfaToken survives: the default AUTH_MFA_TOKEN_MAX_FAILURES. */
const TOKEN_MAX_FAILURES = 5;
/** An mfaToken's lifetime in seconds: the contract's 5 minutes. */
const TOKEN_TTL = 300;

/** Each case registers its own account, so one case's wrong codes never throttle another's. */
export const twoStepTokenCases = defineGroup("two-step token", [
  {
    name: "an unknown or garbage mfaToken is refused with MFA_TOKEN_INVALID",
    run: async (ctx) => {
      const user = await registerTOTPUser(ctx);
      const code = await user.app.nextCode();
      // Shaped like a real one (`mfa_` and 256 bits), then not shaped at all.
      for (const mfaToken of [`mfa_${randomBytes(32).toString("base64url")}`, "garbage", "", "mfa_", "x".repeat(256), user.accessToken.slice(0, 256)]) {
        expectRefused(await verifySecondFactor(ctx, mfaToken, { code }), "MFA_TOKEN_INVALID", `mfaToken "${mfaToken.slice(0, 20)}…"`);
      }
    },
  },
  {
    name: "an mfaToken works once: used again, even with a fresh code, it is MFA_TOKEN_INVALID",
    run: async (ctx) => {
      const user = await registerTOTPUser(ctx);
      const mfaToken = await startSignin(ctx, user);
      authPayloadOf(await verifySecondFactor(ctx, mfaToken, { code: await user.app.nextCode() }));
      expectRefused(await verifySecondFactor(ctx, mfaToken, { code: await user.app.nextCode() }), "MFA_TOKEN_INVALID", "a used mfaToken");
    },
  },
  {
    name: `after ${TOKEN_MAX_FAILURES} wrong codes the mfaToken dies, even for the right code; a new sign-in still works`,
    run: async (ctx) => {
      const user = await registerTOTPUser(ctx);
      const mfaToken = await startSignin(ctx, user);
      for (let attempt = 1; attempt <= TOKEN_MAX_FAILURES; attempt++) {
        expectRefused(await verifySecondFactor(ctx, mfaToken, { code: user.app.wrongCode() }), "SECOND_FACTOR_INVALID", `wrong code ${attempt}`);
      }
      expectRefused(await verifySecondFactor(ctx, mfaToken, { code: await user.app.nextCode() }), "MFA_TOKEN_INVALID", "the right code on a dead token");
      // The token died, not the account: its own limit (10 per window) is not reached yet.
      authPayloadOf(await verifySecondFactor(ctx, await startSignin(ctx, user), { code: await user.app.nextCode() }));
    },
  },
  {
    name: `an mfaToken expires after ${TOKEN_TTL / 60} minutes: MFA_TOKEN_INVALID`,
    needs: ["mfa-token-expiry"],
    run: async (ctx) => {
      const user = await registerTOTPUser(ctx);
      const mfaToken = await startSignin(ctx, user);
      await new Promise((resolve) => setTimeout(resolve, (TOKEN_TTL + 2) * 1000));
      expectRefused(await verifySecondFactor(ctx, mfaToken, { code: await user.app.nextCode() }), "MFA_TOKEN_INVALID", "an expired mfaToken");
      authPayloadOf(await verifySecondFactor(ctx, await startSignin(ctx, user), { code: await user.app.nextCode() }));
    },
  },
]);
