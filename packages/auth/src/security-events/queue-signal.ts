/**
 * What a long poll waits on: migration 0008's notification that an event was queued, heard on the
 * revocation feed's listener (database/revocation-feed.ts).
 *
 * A notification only says "look again": the queue in the database is the truth. So a waiter is
 * armed before its poll reads the queue (an event committed in between still wakes it), and
 * while the listener is not proven (PostgreSQL reconnecting, a pooler that swallows
 * notifications, a client that cannot LISTEN) waits are cut to `RECHECK_MS` and the poll reads
 * again: slower, never deaf.
 */
import type { RevocationFeed } from "../database/revocation-feed.ts";

/** How long a wait lasts at most while notifications may be missed. */
export const RECHECK_MS = 1000;

export interface ArmedWait {
  /** Resolves on a notification since arming, after `ms`, on `signal`'s abort, or on `close()`. */
  wait(ms: number, signal?: AbortSignal): Promise<void>;
  cancel(): void;
}

export interface QueueSignal {
  /** Starts listening for this waiter now, before its poll reads the queue. */
  arm(): ArmedWait;
  /** True once closed: polls answer at once rather than wait. */
  readonly closed: boolean;
  /** Wakes every waiter and stops listening. */
  close(): void;
}

/**
 * @example
 * const armed = signal.arm();
 * if ((await readQueue()).length === 0) await armed.wait(25_000, request.signal);
 */
export function createQueueSignal(feed: RevocationFeed | null): QueueSignal {
  const waiters = new Set<{ fired: boolean; wake: () => void }>();
  let closed = false;
  let unsubscribe: (() => void) | undefined;

  function wakeAll(): void {
    for (const waiter of waiters) {
      waiter.fired = true;
      waiter.wake();
    }
  }

  // Subscribed on first use and kept until close(): the feed's connection is shared and
  // refcounted, so one subscription per service, not one per poll.
  function ensureSubscribed(): void {
    if (unsubscribe || !feed || closed) return;
    unsubscribe = feed.subscribe({
      message: () => {},
      lost: () => {},
      // A resubscription may have missed notifications: everyone reads again.
      subscribed: wakeAll,
      queued: wakeAll,
    });
  }

  return {
    get closed() {
      return closed;
    },
    arm() {
      ensureSubscribed();
      const waiter = { fired: false, wake: () => {} };
      waiters.add(waiter);
      return {
        wait(ms, signal) {
          if (waiter.fired || closed || signal?.aborted) return Promise.resolve();
          const limit = feed?.listening ? ms : Math.min(ms, RECHECK_MS);
          return new Promise<void>((resolve) => {
            const done = () => {
              clearTimeout(timer);
              signal?.removeEventListener("abort", done);
              waiter.wake = () => {};
              resolve();
            };
            const timer = setTimeout(done, Math.max(0, limit));
            signal?.addEventListener("abort", done, { once: true });
            waiter.wake = done;
          });
        },
        cancel() {
          waiter.wake();
          waiters.delete(waiter);
        },
      };
    },
    close() {
      closed = true;
      wakeAll();
      unsubscribe?.();
      unsubscribe = undefined;
    },
  };
}
