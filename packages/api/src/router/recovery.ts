import {
  requestPasswordResetInputSchema,
  resetPasswordInputSchema,
  type VerifyEmailResult,
  verifyEmailInputSchema,
} from "@bearer-kit/auth";
import type { SigninPayload } from "../auth-payload.ts";
import { respondWithStep } from "../respond-with-tokens.ts";
import { presentedToken, protectedProcedure, publicProcedure, router } from "../trpc.ts";

/**
 * The flows that mail a link: password reset and email verification. Merged into `authRouter`,
 * so their paths stay `auth.requestPasswordReset`, `auth.resetPassword`, `auth.verifyEmail` and
 * `auth.resendVerification`.
 *
 * @example await caller.auth.requestPasswordReset({ email })
 */
export const recoveryRouter = router({
  // The answer is sent before the address is even looked up: same status, body and timing
  // whether or not it has an account. RATE_LIMITED (per client address, and a 2nd request for
  // the same address within 60 s) is decided on the typed address alone, so it leaks nothing.
  requestPasswordReset: publicProcedure
    .input(requestPasswordResetInputSchema)
    .mutation(async ({ ctx, input }): Promise<{ ok: true }> => {
      await ctx.auth.requestPasswordReset(input, ctx.client);
      return { ok: true };
    }),

  // Signs every session out, then in on this device: the same response (and cookie) as signin,
  // the second step included: with TOTP on, the link alone opens no session.
  resetPassword: publicProcedure
    .input(resetPasswordInputSchema)
    .mutation(
      async ({ ctx, input }): Promise<SigninPayload> => respondWithStep(ctx, await ctx.auth.resetPasswordOrChallenge(input, ctx.client)),
    ),

  // Public: the link may be opened anywhere. A caller signed in as the same user keeps this
  // session when an email change revokes the others.
  verifyEmail: publicProcedure.input(verifyEmailInputSchema).mutation(async ({ ctx, input }): Promise<VerifyEmailResult> => {
    // Bearer or DPoP, through the request's guard as a protected procedure does: a batch shares
    // one verification, so a DPoP proof is spent once, whichever call of the batch comes first.
    const { token, request } = presentedToken(ctx);
    const session = token
      ? await ctx.guard.loginUsingBearerToken(token, request).then(() => ctx.guard.session, () => null)
      : null;
    return ctx.auth.verifyEmail(input, { sessionId: session?.id ?? null });
  }),

  resendVerification: protectedProcedure.mutation(async ({ ctx }): Promise<{ ok: true }> => {
    await ctx.auth.resendVerification({ user: ctx.user, session: ctx.session });
    return { ok: true };
  }),
});
