/**
 * Proof that the revocation listener hears what is sent on its channel.
 *
 * LISTEN returning proves nothing. Behind a transaction-mode pooler (PgBouncer's
 * `pool_mode=transaction`, say) it succeeds on whatever server connection the pooler lent for
 * that one statement, and no notification ever arrives. An instance that trusted it would serve
 * revoked sessions from memory until their max age, and live sign-out would never fire. So the
 * feed sends a probe through the pool, on the same channel, and counts as listening only once the
 * probe comes back. It probes again every interval; a probe not back by then makes the feed
 * strict (not listening) until one is.
 */
import { randomUUID } from "node:crypto";

/** How often the listener proves itself; a probe not back within this is missed. */
export const PROBE_INTERVAL_MS = 30_000;

export interface ListenerProbe {
  /** What this feed's probes carry: `{"p":"<random id>"}`; other feeds' probes carry other ids. */
  readonly payload: string;
  /** LISTEN returned: probes now, then every interval. */
  start(): void;
  /** The listening connection is gone: no probing until `start`. */
  stop(): void;
  /** A probe carrying `id` arrived on the channel. */
  arrived(id: string): void;
}

export interface ListenerProbeOptions {
  intervalMs: number;
  /** Sends `payload` on the channel through the pool (`pg_notify`), not through the listener. */
  send(payload: string): Promise<unknown>;
  /** One of this feed's probes arrived: notifications reach the listener. */
  proven(): void;
  /** The last probe did not arrive within the interval. */
  missed(): void;
}

/**
 * @example
 * const probe = createListenerProbe({ intervalMs, send: (p) => pool`select pg_notify(${channel}, ${p})`, proven, missed });
 */
export function createListenerProbe({ intervalMs, send, proven, missed }: ListenerProbeOptions): ListenerProbe {
  const id = randomUUID();
  const payload = JSON.stringify({ p: id });
  let timer: ReturnType<typeof setInterval> | undefined;
  let awaiting = false;

  function probe(): void {
    awaiting = true;
    // A probe that could not be sent never arrives: the next tick counts it missed.
    send(payload).catch(() => {});
  }

  return {
    payload,
    start() {
      clearInterval(timer);
      probe();
      timer = setInterval(() => {
        if (awaiting) missed();
        probe();
      }, intervalMs);
      // Never what keeps a process alive.
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
      awaiting = false;
    },
    arrived(seen) {
      if (seen !== id || timer === undefined) return;
      awaiting = false;
      proven();
    },
  };
}
