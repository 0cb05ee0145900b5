import type { AuthResult, SigninStep } from "@bearer-kit/auth";
import { type AuthPayload, type SigninPayload, toAuthPayload } from "./auth-payload.ts";
import type { Context } from "./context.ts";
import { setRefreshCookie, usesCookieTransport } from "./http/refresh-cookie.ts";

/**
 * The token response of every procedure that signs in (register, signin, refresh, resetPassword,
 * verifySecondFactor);
 * in cookie mode the refresh token goes to the cookie, never the body.
 *
 * @example signin: publicProcedure.mutation(async ({ ctx, input }) => respondWithTokens(ctx, await ctx.auth.signin(input)))
 */
export function respondWithTokens(ctx: Context, result: AuthResult): AuthPayload {
  const cookieMode = usesCookieTransport(ctx.headers);
  if (cookieMode) {
    setRefreshCookie(ctx.resHeaders, result.refreshToken, { ...ctx.refreshCookie, maxAge: ctx.auth.settings.refreshTtl });
  }
  return toAuthPayload(result, {
    refreshToken: cookieMode ? null : result.refreshToken,
    // The token was just signed with exp = now + ttl.
    expiresIn: ctx.auth.settings.ttl,
  });
}

/**
 * A sign-in that may need its second step (signin, resetPassword): the token response with
 * `mfaRequired: false`, or `{ mfaRequired: true, mfaToken, methods }` with no token and no cookie.
 *
 * @example .mutation(async ({ ctx, input }) => respondWithStep(ctx, await ctx.auth.signinOrChallenge(input, ctx.client)))
 */
export function respondWithStep(ctx: Context, step: SigninStep): SigninPayload {
  if (step.mfaRequired) return { mfaRequired: true, mfaToken: step.mfaToken, methods: [...step.methods] };
  return { mfaRequired: false, ...respondWithTokens(ctx, step.result) };
}
