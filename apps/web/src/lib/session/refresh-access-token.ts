import { readAuthError } from "../auth-error.ts";
import { refreshClient } from "../trpc/refresh-client.ts";
import { withRefreshLock } from "./refresh-lock.ts";
import { isSessionEnded } from "./session-ended.ts";
import { sessionStore } from "./session-store.ts";
import { endSession, startSession } from "./session-transitions.ts";

export type RefreshOutcome = "refreshed" | "signed-out" | "failed";

// Locks and BroadcastChannel are separate queues: the tab that refreshed before us may release
// the lock a moment before its message arrives. Waiting this long beats rotating the cookie twice.
const HANDOVER_GRACE_MS = 300;

let inFlight: Promise<RefreshOutcome> | null = null;

function hasNewerToken(staleToken: string | null): boolean {
  const token = sessionStore.accessToken();
  return token !== null && token !== staleToken;
}

function nextSessionChange(timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    const unsubscribe = sessionStore.subscribe(done);
  });
}

async function refreshHoldingLock(staleToken: string | null, waited: boolean): Promise<RefreshOutcome> {
  if (waited && !hasNewerToken(staleToken)) await nextSessionChange(HANDOVER_GRACE_MS);
  if (hasNewerToken(staleToken)) return "refreshed";
  try {
    startSession(await refreshClient.auth.refresh.mutate({}));
    return "refreshed";
  } catch (error) {
    if (!isSessionEnded(readAuthError(error))) return "failed";
    // The refresh cookie is shared by every tab, so its end is news for all of them; a tab that
    // held no session (a fresh load) has nothing to announce.
    endSession({ broadcast: staleToken !== null });
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
