import { AuthError, type AuthErrorCode, type AuthResult, registerInputSchema, signinInputSchema } from "@bearer-kit/auth";
import { z } from "zod";
import { type AuthPayload, type PublicUser, toAuthPayload, toPublicUser } from "../auth-payload.ts";
import type { Context } from "../context.ts";
import { clearRefreshCookie, readRefreshCookie, setRefreshCookie, usesCookieTransport } from "../http/refresh-cookie.ts";
import { protectedProcedure, publicProcedure, router } from "../trpc.ts";

// Bounded, but loosely. Every string that is not one of ours (an access token sent here by
// mistake, say) must get 401 TOKEN_INVALID from the core, not 400, so clients sign in again.
const refreshInputSchema = z.object({ refreshToken: z.string().min(1).max(8192).optional() }).optional();
const logoutInputSchema = z.object({ everywhere: z.boolean().optional() }).optional();

/** Refresh failures after which the cookie can never work again, so the browser drops it. */
const DEAD_TOKEN: ReadonlySet<AuthErrorCode> = new Set(["SESSION_REVOKED", "REFRESH_REUSED", "TOKEN_INVALID"]);

/** The token response; in cookie mode the refresh token goes to the cookie, never the body. */
function respond(ctx: Context, result: AuthResult): AuthPayload {
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
 * Sign-up, sign-in, token refresh, logout and the current user.
 *
 * @example
 * const { accessToken, refreshToken } = await caller.auth.signin({ email, password });
 */
export const authRouter = router({
  register: publicProcedure
    .input(registerInputSchema)
    .mutation(async ({ ctx, input }): Promise<AuthPayload> => respond(ctx, await ctx.auth.register(input, ctx.client))),

  signin: publicProcedure
    .input(signinInputSchema)
    .mutation(async ({ ctx, input }): Promise<AuthPayload> => respond(ctx, await ctx.auth.signin(input, ctx.client))),

  refresh: publicProcedure.input(refreshInputSchema).mutation(async ({ ctx, input }): Promise<AuthPayload> => {
    // The cookie is read only when the client asked for cookie mode: see refresh-cookie.ts (CSRF).
    const cookieMode = usesCookieTransport(ctx.headers);
    const token = input?.refreshToken ?? (cookieMode ? readRefreshCookie(ctx.headers, ctx.refreshCookie.name) : null);
    if (!token) throw new AuthError("TOKEN_INVALID", "A refresh token is required.");
    try {
      return respond(ctx, await ctx.auth.refresh(token));
    } catch (error) {
      if (cookieMode && error instanceof AuthError && DEAD_TOKEN.has(error.code)) {
        clearRefreshCookie(ctx.resHeaders, ctx.refreshCookie);
      }
      throw error;
    }
  }),

  logout: protectedProcedure.input(logoutInputSchema).mutation(async ({ ctx, input }): Promise<{ revoked: number }> => {
    const revoked = await ctx.auth.logout(ctx.session, { everywhere: input?.everywhere ?? false });
    // Cleared whatever the transport: harmless for API clients, and a browser must not keep a dead token.
    clearRefreshCookie(ctx.resHeaders, ctx.refreshCookie);
    return { revoked };
  }),

  me: protectedProcedure.query(({ ctx }): PublicUser => toPublicUser(ctx.user)),
});
