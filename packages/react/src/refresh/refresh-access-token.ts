import type { AppRouter } from "@bearer-kit/api";
import type { TRPCClient } from "@trpc/client";
import { type AuthErrorInfo, readAuthError } from "../errors/read-auth-error.ts";
import { isSessionEnded } from "../errors/session-ended.ts";
import { nextSessionChange } from "../session/next-session-change.ts";
import type { SessionStore, SignOutReason } from "../session/session-store.ts";
import type { SessionTransitions } from "../session/session-transitions.ts";
import type { RefreshLock } from "./refresh-lock.ts";

/**
 * `unavailable`: no usable answer (offline, 5xx, timeout); the session may be fine, try later.
 * `signed-out`: the server said the session is over, or it ended here while we waited.
 */
export type RefreshOutcome = "refreshed" | "signed-out" | "unavailable";

/**
 * Gets a fresh access token; `staleToken` is the token that failed, or `null` on load.
 *
 * @example if ((await refreshAccessToken(sentToken)) === "refreshed") retry();
 */
export type RefreshAccessToken = (staleToken: string | null) => Promise<RefreshOutcome>;

// Locks and BroadcastChannel are separate queues: the tab that refreshed before us may release
// the lock a moment before its message arrives. Waiting this long beats rotating the cookie twice.
const HANDOVER_GRACE_MS = 300;
// The refresh runs holding the cross-tab lock: a request that hangs must not hold every tab.
const REFRESH_TIMEOUT_MS = 10_000;
// Codes that end the session for every tab sharing the cookie, even one that held no token yet.
const ANNOUNCED = new Set(["SESSION_REVOKED", "REFRESH_REUSED"]);

function reasonFor(info: AuthErrorInfo, hadSession: boolean): SignOutReason | null {
  if (info.code === "REFRESH_REUSED") return "reused";
  // A fresh load without a (valid) cookie is simply not signed in: nothing to explain.
  return hadSession || info.code === "SESSION_REVOKED" ? "ended" : null;
}

/**
 * The refresh through the httpOnly refresh cookie. Single-flight: parallel calls in this tab
 * share one request, and other tabs wait on the lock and take the token this tab broadcasts
 * instead of refreshing again.
 *
 * @example const refreshAccessToken = createRefresher({ store, lock, transitions, refreshClient });
 */
export function createRefresher(parts: {
  store: SessionStore;
  lock: RefreshLock;
  transitions: SessionTransitions;
  refreshClient: TRPCClient<AppRouter>;
}): RefreshAccessToken {
  const { store, lock, transitions, refreshClient } = parts;
  let inFlight: Promise<RefreshOutcome> | null = null;

  const hasNewerToken = (staleToken: string | null): boolean => {
    const token = store.accessToken();
    return token !== null && token !== staleToken;
  };

  async function refreshHoldingLock(staleToken: string | null, waited: boolean): Promise<RefreshOutcome> {
    if (waited && !hasNewerToken(staleToken)) await nextSessionChange(store, HANDOVER_GRACE_MS);
    if (hasNewerToken(staleToken)) return "refreshed";
    // Signed out while waiting for the lock: refreshing now would only revive the cookie.
    if (staleToken !== null && store.get().status === "signed-out") return "signed-out";
    const startedAt = Date.now();
    try {
      const payload = await refreshClient.auth.refresh.mutate({}, { signal: AbortSignal.timeout(REFRESH_TIMEOUT_MS) });
      return transitions.startSession(payload, { startedAt }) ? "refreshed" : "signed-out";
    } catch (error) {
      const info = readAuthError(error);
      if (!isSessionEnded(info)) return "unavailable";
      const hadSession = staleToken !== null;
      // The refresh cookie is shared by every tab, so its end is news for all of them; a tab that
      // held no session (a fresh load) only announces a session the server says was killed.
      const broadcast = hadSession || (info.code !== null && ANNOUNCED.has(info.code));
      transitions.endSession({ broadcast, reason: reasonFor(info, hadSession) });
      return "signed-out";
    }
  }

  return (staleToken) => {
    if (hasNewerToken(staleToken)) return Promise.resolve("refreshed");
    inFlight ??= lock.run((waited) => refreshHoldingLock(staleToken, waited)).finally(() => {
      inFlight = null;
    });
    return inFlight;
  };
}
