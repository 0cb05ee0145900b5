import type { FollowSessionEvents } from "./events/follow-session-events.ts";
import { refreshAhead } from "./refresh/refresh-ahead.ts";
import type { RefreshAccessToken } from "./refresh/refresh-access-token.ts";
import type { Restorer } from "./refresh/restore-session.ts";
import type { SessionChannel } from "./session/session-channel.ts";
import type { SessionStore } from "./session/session-store.ts";
import type { SessionTransitions } from "./session/session-transitions.ts";

/**
 * Brings one tab's session to life: restores it on load, follows the other tabs, retries the
 * restore when the browser comes back online, refreshes ahead of expiry, and hears at once when
 * the server ends the session. Returns the function that stops all of it, so a React effect can
 * run it (twice in Strict Mode) and clean up.
 *
 * @example useEffect(() => runSession(parts), []);
 */
export function runSession(parts: {
  store: SessionStore;
  channel: SessionChannel;
  transitions: SessionTransitions;
  restorer: Restorer;
  refreshAccessToken: RefreshAccessToken;
  follow: FollowSessionEvents;
}): () => void {
  const { store, channel, transitions, restorer, refreshAccessToken, follow } = parts;
  void restorer.restore();
  const stopListening = channel.listen(transitions.adopt);
  const online = typeof window === "undefined" ? null : window;
  const retryRestoreNow = () => restorer.retryNow();
  online?.addEventListener("online", retryRestoreNow);

  // One timer and one event stream per token: a refresh replaces both, a sign-out ends them.
  let token: string | null = null;
  let stopToken = () => {};
  const onChange = () => {
    const session = store.get();
    const next = session.status === "signed-in" ? session.accessToken : null;
    if (next === token) return;
    token = next;
    stopToken();
    stopToken = () => {};
    if (session.status !== "signed-in") return;
    const cancelAhead = refreshAhead(session, refreshAccessToken);
    const stopFollowing = follow(session.accessToken);
    stopToken = () => {
      cancelAhead();
      stopFollowing();
    };
  };
  onChange();
  const unsubscribe = store.subscribe(onChange);

  return () => {
    unsubscribe();
    stopToken();
    stopListening();
    online?.removeEventListener("online", retryRestoreNow);
  };
}
