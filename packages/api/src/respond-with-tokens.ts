import type { AuthResult } from "@bearer-kit/auth";
import { type AuthPayload, toAuthPayload } from "./auth-payload.ts";
import type { Context } from "./context.ts";
import { setRefreshCookie, usesCookieTransport } from "./http/refresh-cookie.ts";

/**
 * The token response of every procedure that signs in (register, signin, refresh, resetPassword);
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
