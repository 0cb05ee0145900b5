import postgres from "postgres";
import { createListenerProbe } from "./listener-probe.ts";
import { createHub, type Feed, REVOCATION_CHANNEL, SECURITY_EVENTS_CHANNEL } from "./revocation-hub.ts";

const MIN_RETRY_MS = 100;
const MAX_RETRY_MS = 5000;

/**
 * The PostgreSQL feed of one postgres.js client: a listening connection of its own, proved by
 * probes (database/listener-probe.ts), reconnected with backoff when lost.
 */
export function postgresFeed(client: postgres.Sql, probeIntervalMs: number): Feed {
  const probe = createListenerProbe({
    intervalMs: probeIntervalMs,
    // Through the pool, as a revoking transaction's notification travels.
    send: (payload) => client.unsafe("select pg_notify($1, $2)", [REVOCATION_CHANNEL, payload]),
    proven: () => {
      if (!hub.feed.listening) hub.setListening(true);
    },
    missed: () => hub.probeMissed(),
  });
  const hub = createHub((id) => probe.arrived(id));
  let closed = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let delay = MIN_RETRY_MS;
  // Its own connection, outside the pool: a pooled one would be handed to queries, and its
  // loss would go unnoticed. Same server and credentials as the pool.
  const connection = postgres({
    ...client.options,
    shared: { retries: 0, typeArrayMap: {} },
    max: 1,
    idle_timeout: null,
    max_lifetime: null,
    fetch_types: false,
    onnotice: () => {},
    onnotify(channel: string, payload: string) {
      if (channel === REVOCATION_CHANNEL) hub.emit(payload);
      else if (channel === SECURITY_EVENTS_CHANNEL) hub.queued();
    },
    onclose() {
      probe.stop();
      hub.setListening(false);
      schedule();
    },
  } as unknown as postgres.Options<Record<string, postgres.PostgresType>>);

  function schedule(): void {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      void subscribe();
    }, delay);
    retry.unref();
    delay = Math.min(delay * 2, MAX_RETRY_MS);
  }

  async function subscribe(): Promise<void> {
    try {
      await connection.unsafe(`LISTEN ${REVOCATION_CHANNEL}`);
      // The same connection, so the probe that proves one channel proves both.
      await connection.unsafe(`LISTEN ${SECURITY_EVENTS_CHANNEL}`);
      if (closed) return;
      delay = MIN_RETRY_MS;
      // Not listening yet: only a probe that comes back proves notifications reach us.
      probe.start();
    } catch {
      // Down or refused: the feed stays not listening (strict) and tries again with backoff.
      hub.setListening(false);
      schedule();
    }
  }

  void subscribe();
  return {
    ...hub.feed,
    get listening() {
      return hub.feed.listening;
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      probe.stop();
      hub.setListening(false);
      await connection.end({ timeout: 1 }).catch(() => {});
    },
  };
}
