import type { SessionEvents } from "@bearer-kit/auth";

/**
 * Why a session's event stream stops: the session ended, its token expired, a newer stream of
 * the same session replaced it, or the client left.
 */
export type SessionEnd = { kind: "ended"; reason: string } | { kind: "expired" } | { kind: "replaced" } | { kind: "aborted" };

export interface SessionEndWatch {
  /** Settles once, with whichever came first. */
  ended: Promise<SessionEnd>;
  /** Drops the listener, the timer and the abort handler. Idempotent. */
  stop(): void;
}

// setTimeout fires at once for longer delays (2^31-1 ms, about 24.8 days); tokens live at most a day.
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Waits for the first of: `session` ending (on any instance sharing the database), `expiresInMs`
 * passing, a newer watch of the session replacing this one, or `signal` aborting. Whatever wins,
 * everything is released at once, so a client that disconnects leaves no listener behind on the
 * bus. Throws what `events.watch` throws (`SERVER_BUSY` when the instance is full), holding nothing.
 *
 * @example const watch = watchSessionEnd(auth.sessionEvents, session, { expiresInMs, signal });
 */
export function watchSessionEnd(
  events: SessionEvents,
  session: { id: string; userId: string },
  options: { expiresInMs: number; signal: AbortSignal | undefined },
): SessionEndWatch {
  const { signal } = options;
  if (signal?.aborted) return { ended: Promise.resolve({ kind: "aborted" }), stop: () => {} };

  let resolve: (end: SessionEnd) => void = () => {};
  // Not Promise.withResolvers: the packages support Node 20.
  const promise = new Promise<SessionEnd>((settleWith) => (resolve = settleWith));
  let unwatch: (() => void) | null = null;
  let settled = false;
  const stop = (): void => {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
    unwatch?.();
    unwatch = null;
  };
  const settle = (end: SessionEnd): void => {
    settled = true;
    stop();
    resolve(end);
  };
  const onAbort = (): void => settle({ kind: "aborted" });
  const timer = setTimeout(() => settle({ kind: "expired" }), Math.min(Math.max(options.expiresInMs, 0), MAX_TIMER_MS));
  signal?.addEventListener("abort", onAbort, { once: true });

  let release: () => void;
  try {
    release = events.watch(session, (event) => settle({ kind: "ended", reason: event.reason }), {
      onReplaced: () => settle({ kind: "replaced" }),
    });
  } catch (error) {
    // Refused: the timer and the abort handler must not outlive the request.
    stop();
    throw error;
  }
  // A listener called before `watch` returned has already settled: release it now.
  if (settled) release();
  else unwatch = release;
  return { ended: promise, stop };
}
