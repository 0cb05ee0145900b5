import { AuthError } from "@bearer-kit/auth";
import { presentedToken, protectedProcedure, router, toTRPCError } from "../trpc.ts";
import { accessTokenExpiry } from "./access-token-expiry.ts";
import { type SessionEndWatch, watchSessionEnd } from "./watch-session-end.ts";

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
 * The end of the caller's session, pushed: merged into `authRouter`, so it is `auth.sessionEvents`.
 *
 * @example client.auth.sessionEvents.subscribe(undefined, { onData: (event) => signOutHere(event.reason) })
 */
export const sessionEventsRouter = router({
  /**
   * Server-sent events for the caller's session: `{ type: "session_ended", reason }` once it
   * ends, on this instance or another, then the stream ends. TOKEN_EXPIRED ends it when the
   * access token expires, STREAM_REPLACED when a ninth stream of the session opens (the oldest
   * goes), and SERVER_BUSY refuses it when the instance holds AUTH_EVENT_STREAMS_MAX streams.
   * The token comes in the Authorization header like any call's.
   */
  sessionEvents: protectedProcedure.subscription(async ({ ctx, signal }) => {
    // The guard has verified it, so it is present; a URL never carries it (connectionParams would).
    const { token: presented, request } = presentedToken(ctx);
    const token = presented ?? "";
    const watch = watchSessionEnd(ctx.auth.sessionEvents, ctx.session, {
      expiresInMs: accessTokenExpiry(token) - ctx.now().getTime(),
      signal,
    });
    try {
      // Checked again now that the watch is on: a revocation committed since the guard's check
      // has already sent its notification, and this is the only way to hear of it.
      // A DPoP request's one proof was spent by the guard; its session is read afresh instead
      // (getBearerToken throws SESSION_REVOKED for a session that ended; the token is dropped).
      if (request.scheme === "DPoP") await ctx.auth.getBearerToken(ctx.user, { sessionId: ctx.session.id });
      else await ctx.auth.verifyBearerToken(token);
    } catch (error) {
      watch.stop();
      throw error;
    }
    // Set up before the stream opens, so a client that saw it start cannot miss the end.
    return sessionEventStream(watch);
  }),
});
