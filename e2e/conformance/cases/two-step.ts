// Two-step verification: with TOTP on, the password alone opens no session; the second step
// opens one whose `amr` says what was shown, and no code works twice.
import { defineGroup } from "../conformance-case.ts";
import { describe, fail } from "../lib/expect.ts";
import { authPayloadOf } from "../lib/payloads.ts";
import { expectTokenAccepted } from "../lib/probe.ts";
import {
  expectAMR,
  expectRefused,
  mfaTokenOf,
  RECOVERY_CODE_AMR,
  registerTOTPUser,
  startSignin,
  TOTP_AMR,
  verifySecondFactor,
} from "../lib/two-factor.ts";
import { signinUser } from "../lib/users.ts";

/** Each case registers its own account: wrong codes count per account (10 per sign-in window). */
export const twoStepCases = defineGroup("two-step", [
  {
    name: "a sign-in with TOTP on answers mfaRequired with an mfaToken, no tokens and no cookie (also in cookie mode)",
    run: async (ctx) => {
      const user = await registerTOTPUser(ctx);
      const credentials = { email: user.email, password: user.password };
      mfaTokenOf(await ctx.api.mutation("auth.signin", credentials));
      // Cookie mode would otherwise set the refresh cookie here: mfaTokenOf fails on any Set-Cookie.
      mfaTokenOf(await ctx.api.mutation("auth.signin", credentials, { headers: { "x-auth-transport": "cookie" } }));
    },
  },
  {
    name: 'a right TOTP code opens a session whose access token has amr ["pwd","otp","mfa"]',
    run: async (ctx) => {
      const user = await registerTOTPUser(ctx);
      const mfaToken = await startSignin(ctx, user);
      const payload = authPayloadOf(await verifySecondFactor(ctx, mfaToken, { code: await user.app.nextCode() }));
      expectAMR(payload.accessToken, TOTP_AMR);
      await expectTokenAccepted(ctx, payload.accessToken, user.id);
    },
  },
  {
    name: 'a recovery code opens a session with amr ["pwd","mfa"], and is refused the second time',
    run: async (ctx) => {
      const user = await registerTOTPUser(ctx);
      const [recoveryCode] = user.recoveryCodes;
      if (recoveryCode === undefined) return fail("no recovery code to use");
      const payload = authPayloadOf(await verifySecondFactor(ctx, await startSignin(ctx, user), { recoveryCode }));
      expectAMR(payload.accessToken, RECOVERY_CODE_AMR);
      await expectTokenAccepted(ctx, payload.accessToken, user.id);
      const again = await verifySecondFactor(ctx, await startSignin(ctx, user), { recoveryCode });
      expectRefused(again, "SECOND_FACTOR_INVALID", "a used recovery code");
    },
  },
  {
    name: "a TOTP code replayed within its step is refused with SECOND_FACTOR_INVALID",
    run: async (ctx) => {
      const user = await registerTOTPUser(ctx);
      authPayloadOf(await verifySecondFactor(ctx, await startSignin(ctx, user), { code: await user.app.nextCode() }));
      const mfaToken = await startSignin(ctx, user);
      expectRefused(await verifySecondFactor(ctx, mfaToken, { code: user.app.lastCode() }), "SECOND_FACTOR_INVALID", "a replayed code");
      // The refusal was the replay, not the token: a fresh code still opens the session.
      authPayloadOf(await verifySecondFactor(ctx, mfaToken, { code: await user.app.nextCode() }));
    },
  },
  {
    name: "totpDisable needs the password and a code; with both, sign-in is one step again",
    run: async (ctx) => {
      const user = await registerTOTPUser(ctx);
      const token = user.accessToken;
      const disable = (input: object) => ctx.api.mutation("account.totpDisable", input, { token });
      expectRefused(await disable({ password: "wrong password", code: await user.app.nextCode() }), "INVALID_CREDENTIALS", "a wrong password");
      expectRefused(await disable({ password: user.password, code: user.app.wrongCode() }), "SECOND_FACTOR_INVALID", "a wrong code");
      expectRefused(await disable({ password: user.password, code: "" }), "SECOND_FACTOR_INVALID", "an empty code");
      const noCode = await disable({ password: user.password });
      if (noCode.status !== 400 && noCode.status !== 401) fail(`expected totpDisable without a code to be refused (400 or 401), got ${describe(noCode)}`);
      // Still on after every refusal.
      await startSignin(ctx, user);
      const done = await disable({ password: user.password, code: await user.app.nextCode() });
      if (done.status !== 200) fail(`totpDisable with the password and a code failed: ${describe(done)}`);
      await signinUser(ctx, user);
    },
  },
]);
