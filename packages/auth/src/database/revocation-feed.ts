/**
 * The revocation notifications of one database, as the triggers of migration 0003 send them on
 * `bearer_kit_revocations` in the transaction that makes the change.
 *
 * - PostgreSQL: one dedicated connection per client, shared by every auth instance over it. LISTEN
 *   is fire-and-forget, so `listening` is false from the moment that connection closes until it
 *   has subscribed again and proved it (database/listener-probe.ts: a probe sent through the pool came
 *   back); callers must then answer from the database, and drop everything they cached when
 *   `subscribed` fires, as notifications sent meanwhile are lost. A probe missed later makes it
 *   false again until the next one arrives.
 * - PGlite: its own in-process LISTEN, trusted at once: the listener is registered on the very
 *   instance that runs every statement, with no connection or pooler in between, and PGlite
 *   delivers a notification (in a microtask) before the statement that committed it resolves, so
 *   a revocation is applied before its caller returns.
 *
 * The same listener hears `bearer_kit_security_events` (migration 0008), which wakes the
 * Security Event Token feed's long polls (security-events/security-event-feed.ts) through
 * `RevocationHandlers.queued`.
 */
import type { PGlite } from "@electric-sql/pglite";
import type postgres from "postgres";
import type { AuthDB } from "./auth-db.ts";
import { PROBE_INTERVAL_MS } from "./listener-probe.ts";
import { postgresFeed } from "./postgres-feed.ts";
import { createHub, type Feed, REVOCATION_CHANNEL, type RevocationFeed, SECURITY_EVENTS_CHANNEL } from "./revocation-hub.ts";

export { REVOCATION_CHANNEL, SECURITY_EVENTS_CHANNEL, type Revocation, type RevocationFeed, type RevocationHandlers } from "./revocation-hub.ts";

const feeds = new WeakMap<object, Feed>();

export interface RevocationFeedOptions {
  /** How often the PostgreSQL listener proves itself. Default 30 s; tests shorten it. */
  probeIntervalMs?: number;
}

/**
 * The feed of `db`'s database, started on first use; `null` for a client that cannot LISTEN.
 * The first call for a client starts the feed, with its `options`; later calls share it.
 */
export function revocationFeed(db: AuthDB, options: RevocationFeedOptions = {}): RevocationFeed | null {
  const client = (db as { $client?: unknown }).$client;
  if (typeof client !== "function" && (typeof client !== "object" || client === null)) return null;
  let feed = feeds.get(client);
  if (feed) return feed;
  let started: Feed;
  if (isPostgresClient(client)) started = postgresFeed(client, options.probeIntervalMs ?? PROBE_INTERVAL_MS);
  else if (isPGlite(client)) started = pgliteFeed(client);
  else return null;
  // Ended with its last subscriber (every `auth.close()`), so a host that ends its own client
  // is not kept alive by ours; `Database.close()` ends it in any case.
  let subscribers = 0;
  feed = {
    get listening() {
      return started.listening;
    },
    subscribe(handlers) {
      subscribers += 1;
      const unsubscribe = started.subscribe(handlers);
      let done = false;
      return () => {
        if (done) return;
        done = true;
        unsubscribe();
        subscribers -= 1;
        if (subscribers === 0 && feeds.get(client) === feed) void closeRevocationFeed(client);
      };
    },
    close: () => started.close(),
  };
  feeds.set(client, feed);
  return feed;
}

/** Stops the feed of this client, if any: called by `Database.close()`. */
export async function closeRevocationFeed(client: object): Promise<void> {
  const feed = feeds.get(client);
  feeds.delete(client);
  await feed?.close();
}

function isPostgresClient(client: unknown): client is postgres.Sql {
  return typeof client === "function" && "options" in client && "unsafe" in client && "listen" in client;
}

function isPGlite(client: unknown): client is PGlite {
  return typeof client === "object" && client !== null && "listen" in client && "exec" in client;
}

function pgliteFeed(client: PGlite): Feed {
  const hub = createHub();
  let closed = false;
  const unlisten = Promise.all([
    client.listen(REVOCATION_CHANNEL, (payload) => hub.emit(payload)),
    client.listen(SECURITY_EVENTS_CHANNEL, () => hub.queued()),
  ])
    .then((stops) => {
      if (!closed) hub.setListening(true);
      return () => Promise.all(stops.map((stop) => stop()));
    })
    .catch(() => null);
  return {
    ...hub.feed,
    get listening() {
      return hub.feed.listening;
    },
    async close() {
      closed = true;
      hub.setListening(false);
      if (client.closed) return;
      const stop = await unlisten;
      await stop?.().catch(() => {});
    },
  };
}
