import { refreshAccessToken } from "./refresh-access-token.ts";
import { sessionStore } from "./session-store.ts";

// Waits between attempts while the server cannot be reached; the last one repeats.
const BACKOFF_MS = [1_000, 2_000, 4_000, 8_000, 15_000, 30_000];

let running = false;
let wake: (() => void) | null = null;

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      wake = null;
      resolve();
    }
    wake = done;
  });
}

const undecided = () => {
  const { status } = sessionStore.get();
  return status === "restoring" || status === "unavailable";
};

/**
 * On page load the access token is gone (memory only); the refresh cookie, if any, brings the
 * session back. Only the server saying "no session" signs the tab out: when it cannot be reached
 * (offline, 5xx, a timeout) the tab shows "unavailable" and tries again with backoff.
 *
 * @example useEffect(() => void restoreSession(), []);
 */
export async function restoreSession(): Promise<void> {
  if (running || !undecided()) return;
  running = true;
  try {
    for (let attempt = 0; undecided(); attempt++) {
      const outcome = await refreshAccessToken(null);
      // Another tab, or a sign-in on this page, may have settled it meanwhile.
      if (!undecided()) return;
      if (outcome === "signed-out") {
        sessionStore.set({ status: "signed-out", reason: null });
        return;
      }
      if (outcome === "refreshed") return;
      sessionStore.set({ status: "unavailable" });
      await pause(BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)] ?? 30_000);
    }
  } finally {
    running = false;
  }
}

/**
 * Ends the current wait of `restoreSession` now ("Retry" button, the browser coming online).
 *
 * @example <button onClick={retryRestoreNow}>Retry</button>
 */
export function retryRestoreNow(): void {
  wake?.();
}
