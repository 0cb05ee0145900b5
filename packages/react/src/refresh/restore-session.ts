import type { SessionStore } from "../session/session-store.ts";
import type { RefreshAccessToken } from "./refresh-access-token.ts";

// Waits between attempts while the server cannot be reached; the last one repeats.
const BACKOFF_MS = [1_000, 2_000, 4_000, 8_000, 15_000, 30_000];

/** Brings a session back on load; see `createRestorer`. */
export interface Restorer {
  restore(): Promise<void>;
  /** Ends the current wait of `restore` now ("Retry" button, the browser coming online). */
  retryNow(): void;
}

/**
 * On page load the access token is gone (memory only); the refresh cookie, if any, brings the
 * session back. Only the server saying "no session" signs the tab out: when it cannot be reached
 * (offline, 5xx, a timeout) the tab shows "unavailable" and tries again with backoff.
 *
 * @example const restorer = createRestorer({ store, refreshAccessToken }); void restorer.restore();
 */
export function createRestorer(parts: { store: SessionStore; refreshAccessToken: RefreshAccessToken }): Restorer {
  const { store, refreshAccessToken } = parts;
  let running = false;
  let wake: (() => void) | null = null;

  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });

  const undecided = () => {
    const { status } = store.get();
    return status === "restoring" || status === "unavailable";
  };

  return {
    async restore() {
      if (running || !undecided()) return;
      running = true;
      try {
        for (let attempt = 0; undecided(); attempt++) {
          const outcome = await refreshAccessToken(null);
          // Another tab, or a sign-in on this page, may have settled it meanwhile.
          if (!undecided()) return;
          if (outcome === "signed-out") {
            store.set({ status: "signed-out", reason: null });
            return;
          }
          if (outcome === "refreshed") return;
          store.set({ status: "unavailable" });
          await pause(BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)] ?? 30_000);
        }
      } finally {
        running = false;
      }
    },
    retryNow() {
      wake?.();
    },
  };
}
