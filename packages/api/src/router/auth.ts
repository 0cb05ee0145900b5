import {
  AuthError,
  type AuthErrorCode,
  type AuthResult,
  bearerToken,
  registerInputSchema,
  requestPasswordResetInputSchema,
  resetPasswordInputSchema,
  signinInputSchema,
  type VerifyEmailResult,
  verifyEmailInputSchema,
} from "@bearer-kit/auth";
import { z } from "zod";
import { type AuthPayload, type PublicUser, type RegisterPayload, toAuthPayload, toPublicUser } from "../auth-payload.ts";
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
  register: publicProcedure.input(registerInputSchema).mutation(async ({ ctx, input }): Promise<RegisterPayload> => {
    const created = await ctx.auth.createAccount(input, ctx.client);
    if (created.verificationRequired) return { verificationRequired: true, email: created.email };
    return { ...respond(ctx, created.result), verificationRequired: false };
  }),

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

  // The answer is sent before the address is even looked up: same status, body and timing
  // whether or not it has an account. RATE_LIMITED (per client address, and a 2nd request for
  // the same address within 60 s) is decided on the typed address alone, so it leaks nothing.
  requestPasswordReset: publicProcedure
    .input(requestPasswordResetInputSchema)
    .mutation(async ({ ctx, input }): Promise<{ ok: true }> => {
      await ctx.auth.requestPasswordReset(input, ctx.client);
      return { ok: true };
    }),

  // Signs every session out, then in on this device: the same response (and cookie) as signin.
  resetPassword: publicProcedure
    .input(resetPasswordInputSchema)
    .mutation(async ({ ctx, input }): Promise<AuthPayload> => respond(ctx, await ctx.auth.resetPassword(input, ctx.client))),

  // Public: the link may be opened anywhere. A caller signed in as the same user keeps this
  // session when an email change revokes the others.
  verifyEmail: publicProcedure.input(verifyEmailInputSchema).mutation(async ({ ctx, input }): Promise<VerifyEmailResult> => {
    const token = bearerToken(ctx.headers);
    const session = token ? await ctx.auth.verifyBearerToken(token).then((found) => found.session).catch(() => null) : null;
    return ctx.auth.verifyEmail(input, { sessionId: session?.id ?? null });
  }),

  resendVerification: protectedProcedure.mutation(async ({ ctx }): Promise<{ ok: true }> => {
    await ctx.auth.resendVerification({ user: ctx.user, session: ctx.session });
    return { ok: true };
  }),
});
