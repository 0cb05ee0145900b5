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
import { accessTokenExpiry } from "./access-token-expiry.ts";
import { type SessionEndWatch, watchSessionEnd } from "./watch-session-end.ts";
import { protectedProcedure, publicProcedure, router, toTRPCError } from "../trpc.ts";

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

/** What `auth.sessionEvents` sends: once, when the session ends; `reason` is why (`logout_everywhere`, ...). */
export interface SessionEndedEvent {
  type: "session_ended";
  reason: string;
}

/**
 * The stream of one watch: one event if the session ends; an error if the token expires first
 * (TOKEN_EXPIRED: refresh and subscribe again) or a newer stream of the session replaced this one
 * (STREAM_REPLACED: do not reconnect).
 */
async function* sessionEventStream(watch: SessionEndWatch): AsyncGenerator<SessionEndedEvent, void> {
  try {
    const end = await watch.ended;
    if (end.kind === "ended") yield { type: "session_ended", reason: end.reason };
    // A stream never outlives its token: the client refreshes and subscribes again.
    else if (end.kind === "expired") throw toTRPCError(new AuthError("TOKEN_EXPIRED", "The access token has expired."));
    else if (end.kind === "replaced") {
      throw toTRPCError(new AuthError("STREAM_REPLACED", "A newer event stream of this session replaced this one."));
    }
  } finally {
    watch.stop();
  }
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
    // The cookie is read only when the client asked for cookie mode: see http/refresh-cookie.ts (CSRF).
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

  /**
   * Server-sent events for the caller's session: `{ type: "session_ended", reason }` once it
   * ends, on this instance or another, then the stream ends. TOKEN_EXPIRED ends it when the
   * access token expires, STREAM_REPLACED when a ninth stream of the session opens (the oldest
   * goes), and SERVER_BUSY refuses it when the instance holds AUTH_EVENT_STREAMS_MAX streams.
   * The token comes in the Authorization header like any call's.
   */
  sessionEvents: protectedProcedure.subscription(async ({ ctx, signal }) => {
    // The guard has verified it, so it is present; a URL never carries it (connectionParams would).
    const token = bearerToken(ctx.headers) ?? "";
    const watch = watchSessionEnd(ctx.auth.sessionEvents, ctx.session, {
      expiresInMs: accessTokenExpiry(token) - ctx.now().getTime(),
      signal,
    });
    try {
      // Checked again now that the watch is on: a revocation committed since the guard's check
      // has already sent its notification, and this is the only way to hear of it.
      await ctx.auth.verifyBearerToken(token);
    } catch (error) {
      watch.stop();
      throw error;
    }
    // Set up before the stream opens, so a client that saw it start cannot miss the end.
    return sessionEventStream(watch);
  }),

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
