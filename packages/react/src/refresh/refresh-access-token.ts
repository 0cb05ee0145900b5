import { type AuthErrorInfo, readAuthError } from "../auth-error.ts";
import { refreshClient } from "../trpc/refresh-client.ts";
import { nextSessionChange } from "./next-session-change.ts";
import { withRefreshLock } from "./refresh-lock.ts";
import { isSessionEnded } from "./session-ended.ts";
import { type SignOutReason, sessionStore } from "./session-store.ts";
import { endSession, startSession } from "./session-transitions.ts";

/**
 * `unavailable`: no usable answer (offline, 5xx, timeout); the session may be fine, try later.
 * `signed-out`: the server said the session is over, or it ended here while we waited.
 */
export type RefreshOutcome = "refreshed" | "signed-out" | "unavailable";

// Locks and BroadcastChannel are separate queues: the tab that refreshed before us may release
// the lock a moment before its message arrives. Waiting this long beats rotating the cookie twice.
const HANDOVER_GRACE_MS = 300;
// The refresh runs holding the cross-tab lock: a request that hangs must not hold every tab.
const REFRESH_TIMEOUT_MS = 10_000;
// Codes that end the session for every tab sharing the cookie, even one that held no token yet.
const ANNOUNCED = new Set(["SESSION_REVOKED", "REFRESH_REUSED"]);

let inFlight: Promise<RefreshOutcome> | null = null;

function hasNewerToken(staleToken: string | null): boolean {
  const token = sessionStore.accessToken();
  return token !== null && token !== staleToken;
}

function reasonFor(info: AuthErrorInfo, hadSession: boolean): SignOutReason | null {
  if (info.code === "REFRESH_REUSED") return "reused";
  // A fresh load without a (valid) cookie is simply not signed in: nothing to explain.
  return hadSession || info.code === "SESSION_REVOKED" ? "ended" : null;
}

async function refreshHoldingLock(staleToken: string | null, waited: boolean): Promise<RefreshOutcome> {
  if (waited && !hasNewerToken(staleToken)) await nextSessionChange(HANDOVER_GRACE_MS);
  if (hasNewerToken(staleToken)) return "refreshed";
  // Signed out while waiting for the lock: refreshing now would only revive the cookie.
  if (staleToken !== null && sessionStore.get().status === "signed-out") return "signed-out";
  const startedAt = Date.now();
  try {
    const payload = await refreshClient.auth.refresh.mutate({}, { signal: AbortSignal.timeout(REFRESH_TIMEOUT_MS) });
    return startSession(payload, { startedAt }) ? "refreshed" : "signed-out";
  } catch (error) {
    const info = readAuthError(error);
    if (!isSessionEnded(info)) return "unavailable";
    const hadSession = staleToken !== null;
    // The refresh cookie is shared by every tab, so its end is news for all of them; a tab that
    // held no session (a fresh load) only announces a session the server says was killed.
    endSession({ broadcast: hadSession || (info.code !== null && ANNOUNCED.has(info.code)), reason: reasonFor(info, hadSession) });
    return "signed-out";
  }
}

/**
 * Gets a fresh access token through the httpOnly refresh cookie. Single-flight: parallel calls
 * in this tab share one request, and other tabs wait on a Web Lock and take the token this tab
 * broadcasts instead of refreshing again. `staleToken` is the token that failed, or `null` on load.
 *
 * @example if ((await refreshAccessToken(sentToken)) === "refreshed") retry();
 */
export function refreshAccessToken(staleToken: string | null): Promise<RefreshOutcome> {
  if (hasNewerToken(staleToken)) return Promise.resolve("refreshed");
  inFlight ??= withRefreshLock((waited) => refreshHoldingLock(staleToken, waited)).finally(() => {
    inFlight = null;
  });
  return inFlight;
}
