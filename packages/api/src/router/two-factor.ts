import {
  type TOTPSetupResult,
  totpConfirmInputSchema,
  totpEnableInputSchema,
  totpSetupInputSchema,
  verifySecondFactorInputSchema,
} from "@bearer-kit/auth";
import type { AuthPayload } from "../auth-payload.ts";
import { respondWithTokens } from "../respond-with-tokens.ts";
import { protectedProcedure, publicProcedure, router } from "../trpc.ts";

/**
 * Two-step verification for the signed-in user, merged into `account.*` (router/account.ts): TOTP on and off and
 * recovery codes. Each change is mailed to the owner and voids outstanding links; sessions stay.
 *
 * @example
 * const { secret, otpauthUrl } = await caller.account.totpSetup({ password });
 * const { recoveryCodes } = await caller.account.totpEnable({ code: "123456" });
 */
export const twoFactorAccountRouter = router({
  // The secret is pending until totpEnable confirms it; a new setup replaces a pending one.
  totpSetup: protectedProcedure
    .input(totpSetupInputSchema)
    .mutation(({ ctx, input }): Promise<TOTPSetupResult> => ctx.auth.totpSetup({ user: ctx.user, session: ctx.session }, input, ctx.client)),

  // The recovery codes are in this answer only: the server keeps their hashes.
  totpEnable: protectedProcedure
    .input(totpEnableInputSchema)
    .mutation(({ ctx, input }): Promise<{ recoveryCodes: string[] }> => ctx.auth.totpEnable({ user: ctx.user, session: ctx.session }, input)),

  // `code` is a TOTP or a recovery code.
  totpDisable: protectedProcedure.input(totpConfirmInputSchema).mutation(async ({ ctx, input }): Promise<{ ok: true }> => {
    await ctx.auth.totpDisable({ user: ctx.user, session: ctx.session }, input, ctx.client);
    return { ok: true };
  }),

  // Replaces the set: the old codes stop working at once.
  recoveryCodes: protectedProcedure
    .input(totpConfirmInputSchema)
    .mutation(
      ({ ctx, input }): Promise<{ recoveryCodes: string[] }> =>
        ctx.auth.regenerateRecoveryCodes({ user: ctx.user, session: ctx.session }, input, ctx.client),
    ),
});

/**
 * The second step of a sign-in, merged into `auth.*` (router/auth.ts): the `mfaToken` that `auth.signin` or
 * `auth.resetPassword` answered, and a TOTP `code` or a `recoveryCode`. Answers like
 * `auth.signin`, cookie mode included. `MFA_TOKEN_INVALID` (401) for an unknown, used, expired
 * or foreign token, `SECOND_FACTOR_INVALID` (401) for a wrong code, `RATE_LIMITED` after 10
 * wrong codes for the account in a sign-in window.
 *
 * @example await caller.auth.verifySecondFactor({ mfaToken, code: "123456" })
 */
export const secondStepRouter = router({
  verifySecondFactor: publicProcedure
    .input(verifySecondFactorInputSchema)
    .mutation(async ({ ctx, input }): Promise<AuthPayload> => respondWithTokens(ctx, await ctx.auth.verifySecondFactor(input, ctx.client))),
});
