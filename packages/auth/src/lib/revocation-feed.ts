/**
 * The revocation notifications of one database, as the triggers of migration 0003 send them on
 * `bearer_kit_revocations` in the transaction that makes the change.
 *
 * - PostgreSQL: one dedicated connection per client, shared by every auth instance over it. LISTEN
 *   is fire-and-forget, so `listening` is false from the moment that connection closes until it
 *   has subscribed again; callers must then answer from the database, and drop everything they
 *   cached when `subscribed` fires, as notifications sent meanwhile are lost.
 * - PGlite: its own in-process LISTEN. PGlite delivers a notification (in a microtask) before
 *   the statement that committed it resolves, so a revocation is applied before its caller returns.
 */
import type { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import type { AuthDB } from "../database.ts";

export const REVOCATION_CHANNEL = "bearer_kit_revocations";
const MIN_RETRY_MS = 100;
const MAX_RETRY_MS = 5000;

export type Revocation =
  /** These sessions ended with `reason`; with `reason` null they only changed. */
  | { kind: "sessions"; ids: string[]; reason: string | null }
  /** Sessions of this user ended with `reason` (too many to list); with `reason` null the user row changed. */
  | { kind: "user"; userId: string; reason: string | null }
  /** This signing key was retired or deleted. */
  | { kind: "key"; kid: string }
  /** Anything may have changed. */
  | { kind: "all" };

export interface RevocationHandlers {
  /** Called synchronously for each notification, in commit order. */
  message(revocation: Revocation): void;
  /** The listener is down: notifications may be missed until `subscribed`. */
  lost(): void;
  /** (Re)subscribed: whatever was cached before may have missed notifications. */
  subscribed(): void;
}

export interface RevocationFeed {
  /** True while notifications arrive: only then may anything be answered from memory. */
  readonly listening: boolean;
  subscribe(handlers: RevocationHandlers): () => void;
}

interface Feed extends RevocationFeed {
  close(): Promise<void>;
}

const feeds = new WeakMap<object, Feed>();

const isStrings = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === "string");
const reasonOf = (value: unknown): string | null => (typeof value === "string" ? value : null);

/** Reads a payload; anything unexpected is taken as "drop everything", which is always safe. */
export function parseRevocation(payload: string): Revocation {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return { kind: "all" };
  }
  if (typeof value !== "object" || value === null) return { kind: "all" };
  const record = value as Record<string, unknown>;
  if (isStrings(record.s)) return { kind: "sessions", ids: record.s, reason: reasonOf(record.r) };
  if (typeof record.u === "string") return { kind: "user", userId: record.u, reason: reasonOf(record.r) };
  if (typeof record.k === "string") return { kind: "key", kid: record.k };
  return { kind: "all" };
}

/** The feed of `db`'s database, started on first use; `null` for a client that cannot LISTEN. */
export function revocationFeed(db: AuthDB): RevocationFeed | null {
  const client = (db as { $client?: unknown }).$client;
  if (typeof client !== "function" && (typeof client !== "object" || client === null)) return null;
  let feed = feeds.get(client);
  if (feed) return feed;
  let started: Feed;
  if (isPostgresClient(client)) started = postgresFeed(client);
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

/** The subscriber list and state every feed shares. */
function createHub(): { feed: Omit<Feed, "close">; emit: (payload: string) => void; setListening: (value: boolean) => void } {
  const subscribers = new Set<RevocationHandlers>();
  let listening = false;
  return {
    feed: {
      get listening() {
        return listening;
      },
      subscribe(handlers) {
        subscribers.add(handlers);
        return () => subscribers.delete(handlers);
      },
    },
    emit(payload) {
      const revocation = parseRevocation(payload);
      for (const handlers of subscribers) handlers.message(revocation);
    },
    setListening(value) {
      if (value === listening && !value) return;
      listening = value;
      for (const handlers of subscribers) {
        if (value) handlers.subscribed();
        else handlers.lost();
      }
    },
  };
}

function postgresFeed(client: postgres.Sql): Feed {
  const hub = createHub();
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
    },
    onclose() {
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
      if (closed) return;
      delay = MIN_RETRY_MS;
      hub.setListening(true);
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
      hub.setListening(false);
      await connection.end({ timeout: 1 }).catch(() => {});
    },
  };
}

function pgliteFeed(client: PGlite): Feed {
  const hub = createHub();
  let closed = false;
  const unlisten = client
    .listen(REVOCATION_CHANNEL, (payload) => hub.emit(payload))
    .then((stop) => {
      if (!closed) hub.setListening(true);
      return stop;
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
