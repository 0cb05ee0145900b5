// No path around the second factor: not the sensitive account changes, not a refresh, not a
// password reset.
import { defineGroup } from "../conformance-case.ts";
import { describe, fail } from "../lib/expect.ts";
import { resetToken } from "../lib/mailed-links.ts";
import { authPayloadOf } from "../lib/payloads.ts";
import { expectTokenAccepted, expectTokenRejected } from "../lib/probe.ts";
import { expectRefreshRefused, rotate } from "../lib/session-calls.ts";
import {
  expectAMR,
  expectRefused,
  mfaTokenOf,
  PASSWORD_AMR,
  registerTOTPUser,
  startSignin,
  TOTP_AMR,
  verifySecondFactor,
} from "../lib/two-factor.ts";
import { strongPassword, uniqueEmail } from "../lib/users.ts";

/** Each case registers its own account: wrong codes count per account (10 per sign-in window). */
export const twoStepBypassCases = defineGroup("two-step bypass", [
  {
    name: "changePassword, changeEmail and delete without a code, or with a wrong one, are SECOND_FACTOR_INVALID and change nothing",
    run: async (ctx) => {
      const user = await registerTOTPUser(ctx);
      // Even a session that showed a code must show one again for these.
      const session = authPayloadOf(await verifySecondFactor(ctx, await startSignin(ctx, user), { code: await user.app.nextCode() }));
      const token = session.accessToken;
      const newPassword = strongPassword();
      const calls = [
        ["account.changePassword", { currentPassword: user.password, newPassword }],
        ["account.changeEmail", { password: user.password, newEmail: uniqueEmail("moved") }],
        ["account.delete", { password: user.password }],
      ] as const;
      for (const [path, input] of calls) {
        expectRefused(await ctx.api.mutation(path, input, { token }), "SECOND_FACTOR_INVALID", `${path} without a code`);
        expectRefused(await ctx.api.mutation(path, { ...input, code: user.app.wrongCode() }, { token }), "SECOND_FACTOR_INVALID", `${path} with a wrong code`);
      }
      // Nothing changed: the account is there, with its password and its second step.
      await expectTokenAccepted(ctx, token, user.id);
      await startSignin(ctx, user);
      // The refusals were about the code: with one, the change goes through.
      const changed = await ctx.api.mutation("account.changePassword", { currentPassword: user.password, newPassword, code: await user.app.nextCode() }, { token });
      if (changed.status !== 200) fail(`changePassword with the password and a code failed: ${describe(changed)}`);
      await startSignin(ctx, { email: user.email, password: newPassword });
    },
  },
  {
    name: 'a refresh keeps the session\'s amr: ["pwd"] stays ["pwd"] after TOTP is turned on, and a TOTP session keeps ["pwd","otp","mfa"]',
    run: async (ctx) => {
      // The registration session opened on the password alone, before TOTP was turned on.
      const user = await registerTOTPUser(ctx);
      const older = await rotate(ctx, user.refreshToken);
      expectAMR(older.accessToken, PASSWORD_AMR, "the refreshed password-only session");
      const session = authPayloadOf(await verifySecondFactor(ctx, await startSignin(ctx, user), { code: await user.app.nextCode() }));
      const refreshed = await rotate(ctx, session.refreshToken);
      expectAMR(refreshed.accessToken, TOTP_AMR, "the refreshed TOTP session");
      expectAMR((await rotate(ctx, refreshed.refreshToken)).accessToken, TOTP_AMR, "the TOTP session refreshed twice");
    },
  },
  {
    name: "a password reset with TOTP on answers mfaRequired, signs every session out, and the second step opens the session",
    needs: ["mail"],
    run: async (ctx) => {
      const user = await registerTOTPUser(ctx);
      const token = await resetToken(ctx, user.email);
      const password = strongPassword();
      const mfaToken = mfaTokenOf(await ctx.api.mutation("auth.resetPassword", { token, password }));
      // The reset itself went through: the old session is gone, the new password is the one.
      await expectTokenRejected(ctx, user.accessToken, { authCode: "SESSION_REVOKED" });
      await expectRefreshRefused(ctx, user.refreshToken);
      const payload = authPayloadOf(await verifySecondFactor(ctx, mfaToken, { code: await user.app.nextCode() }));
      expectAMR(payload.accessToken, TOTP_AMR);
      await expectTokenAccepted(ctx, payload.accessToken, user.id);
      await startSignin(ctx, { email: user.email, password });
    },
  },
]);
