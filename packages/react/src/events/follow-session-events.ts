import { readAuthError } from "../errors/read-auth-error.ts";
import { isSessionEnded } from "../errors/session-ended.ts";
import type { RefreshAccessToken } from "../refresh/refresh-access-token.ts";
import type { RefreshLock } from "../refresh/refresh-lock.ts";
import { nextSessionChange } from "../session/next-session-change.ts";
import type { SessionStore, SignOutReason } from "../session/session-store.ts";
import type { SessionTransitions } from "../session/session-transitions.ts";
import { createEventsClient } from "../transport/events-client.ts";
import type { Transport } from "../transport/transport-headers.ts";

// Waits before subscribing again after a failure that was not the session's end; the last repeats.
const RETRY_MS = [1_000, 2_000, 5_000, 10_000, 30_000];
// Another tab of this browser that signed out releases the refresh lock a moment before its
// broadcast arrives (see refresh-access-token.ts): this long is worth waiting for it.
const HANDOVER_GRACE_MS = 300;

/**
 * What the sign-in page says, by the server's reason. A plain `logout` of this very session came
 * from this browser (only it holds the token), so it needs no notice; account deletion and a
 * replayed refresh token have their own, and so does a session ended by the per-user limit
 * (AUTH_MAX_SESSIONS_PER_USER); anything else was done from another device.
 */
function noticeFor(reason: string): SignOutReason | null {
  if (reason === "logout") return null;
  if (reason === "account_deleted") return "deleted";
  if (reason === "refresh_token_reused") return "reused";
  if (reason === "session_limit") return "limit";
  return "elsewhere";
}

/**
 * Listens, while `token` is this tab's access token, for its session ending anywhere; returns
 * the function that stops listening.
 *
 * @example const stop = follow(token);
 */
export type FollowSessionEvents = (token: string) => () => void;

/**
 * The follower of `auth.sessionEvents`: when the session ends anywhere (signed out everywhere,
 * revoked, its password changed or the account deleted on another device) the tab signs out at
 * once, without waiting for its next API call. When the token expires the server ends the
 * stream; the refresh that follows brings a new token and a new stream.
 *
 * @example const follow = createSessionEventsFollower(parts); const stop = follow(token);
 */
export function createSessionEventsFollower(parts: {
  transport: Transport;
  store: SessionStore;
  lock: RefreshLock;
  transitions: SessionTransitions;
  refreshAccessToken: RefreshAccessToken;
  /** True while this tab signs out: news that the session ended is then its own doing. */
  isSigningOut: () => boolean;
}): FollowSessionEvents {
  const { transport, store, lock, transitions, refreshAccessToken, isSigningOut } = parts;

  async function sessionEnded(token: string, reason: string): Promise<void> {
    // This tab's own sign-out ends the session itself, and without a notice.
    if (isSigningOut()) return;
    // Under the refresh lock: a tab of this browser signing out holds it, and its broadcast then
    // settles every tab; only if nothing changed is the news from elsewhere.
    await lock.run(async (waited) => {
      if (waited && store.accessToken() === token) await nextSessionChange(store, HANDOVER_GRACE_MS);
      if (store.accessToken() !== token) return;
      // The refresh cookie the tabs share is dead: every tab signs out.
      transitions.endSession({ broadcast: true, reason: noticeFor(reason) });
    });
  }

  return (token) => {
    let stopped = false;
    let heardEnd = false;
    let failures = 0;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let subscription: { unsubscribe(): void } | null = null;

    const retryLater = () => {
      const delay = RETRY_MS[Math.min(failures, RETRY_MS.length - 1)] ?? 30_000;
      failures += 1;
      retryTimer = setTimeout(start, delay);
    };

    function start(): void {
      if (stopped || store.accessToken() !== token) return;
      subscription = createEventsClient(transport, token, store.tokenType()).auth.sessionEvents.subscribe(undefined, {
        onStarted: () => {
          failures = 0;
        },
        onData: (event) => {
          heardEnd = true;
          void sessionEnded(token, event.reason);
        },
        // Ended without news (a server restart, say): listen again.
        onComplete: () => {
          if (!stopped && !heardEnd) retryLater();
        },
        onError: (error) => {
          if (stopped) return;
          const info = readAuthError(error);
          // The new token starts a new follower, which subscribes again with it.
          if (info.code === "TOKEN_EXPIRED") void refreshAccessToken(token);
          // A newer stream of this session (another tab, more than 8 open) took this one's place
          // and listens instead; coming back would close the next oldest, and the tabs would take
          // turns forever. Any sign-out still reaches this tab through the session channel.
          else if (info.code === "STREAM_REPLACED") return;
          // Revoked between two streams (this token is fresh from a refresh): the same news as
          // the announcement the gap made us miss, and not this tab's doing unless it is signing out.
          else if (info.code === "SESSION_REVOKED") void sessionEnded(token, "revoked");
          else if (isSessionEnded(info) && store.accessToken() === token) {
            // As the auth link does: a replayed session is dead for every tab; a bad token only for this one.
            const reused = info.code === "REFRESH_REUSED";
            transitions.endSession({ broadcast: reused, reason: reused ? "reused" : "ended" });
          } else retryLater();
        },
      });
    }

    start();
    return () => {
      stopped = true;
      clearTimeout(retryTimer);
      subscription?.unsubscribe();
    };
  };
}
