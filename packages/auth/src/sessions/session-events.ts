/**
 * Session endings, as they happen, on this instance or any other sharing the database: the
 * revocation feed (database/revocation-feed.ts) carries them on PostgreSQL NOTIFY, or in process on PGlite.
 *
 * Notifications can be lost while the listener is down, and a bulk revocation names only the
 * user. So whenever a notification does not say which sessions ended (a bulk revocation, a
 * resubscription after a loss) the watched sessions are looked up in the database, and each
 * `watch` also looks its session up once, for an ending that came before it was registered.
 * Watches registered together are looked up together, and the store reads in batches.
 *
 * Bounded, as each watch of the API holds a socket and a timer until its token expires:
 * - per session, at most `MAX_WATCHES_PER_SESSION`: a newer watch closes the oldest (`onReplaced`),
 *   so a reloaded tab keeps working while one token cannot pile up streams;
 * - per instance, at most `eventStreamsMax`: beyond it `watch` throws `SERVER_BUSY`, rather than
 *   closing another user's watch.
 */
import { AuthError } from "../errors.ts";
import type { Revocation, RevocationFeed } from "../database/revocation-feed.ts";
import { assertUUID } from "../lib/uuid.ts";

/** Watches one session may have open at once; a newer one closes the oldest. */
export const MAX_WATCHES_PER_SESSION = 8;
/** Seconds a watch refused for a full instance is told to wait: a slot frees when a stream ends. */
export const EVENT_STREAMS_RETRY_AFTER = 5;

/** How a watched session ended. */
export interface SessionEnded {
  sessionId: string;
  /**
   * The session's `revoked_reason`: `logout`, `logout_everywhere`, `revoked_by_user`,
   * `password_changed`, `refresh_token_reused`, or whatever a host or operator wrote; or
   * `account_deleted` when the user was deleted, `deleted` when only the session row was.
   */
  reason: string;
}

export interface WatchOptions {
  /**
   * Called, instead of `listener`, when this watch is closed for a newer one of the same
   * session (more than `MAX_WATCHES_PER_SESSION` open). The session goes on; do not watch again
   * on its behalf, or the watches of one session would take turns closing each other.
   */
  onReplaced?: () => void;
}

export interface SessionEvents {
  /**
   * Calls `listener` once when this session ends, on this instance or any other sharing the
   * database. Returns an unsubscribe function. Throws `SERVER_BUSY` (with `retryAfter`) when
   * `eventStreamsMax` watches are open on this instance, and `INVALID_INPUT` for malformed ids.
   *
   * @example
   * const stop = auth.sessionEvents.watch(guard.session, ({ reason }) => push({ type: "signed-out", reason }), {
   *   onReplaced: () => push({ type: "replaced" }),
   * });
   */
  watch(session: { id: string; userId: string }, listener: (event: SessionEnded) => void, options?: WatchOptions): () => void;
  /** Watches open on this instance, for monitoring: at most `eventStreamsMax`. */
  readonly size: number;
}

/** Why each of these sessions has ended, looked up in the database; live ones are absent. */
export type EndedLookup = (sessions: readonly { id: string; userId: string }[]) => Promise<Map<string, string>>;

interface Watcher {
  id: string;
  userId: string;
  listener: (event: SessionEnded) => void;
  replaced: (() => void) | undefined;
}

export interface SessionEventsDeps {
  feed: RevocationFeed | null;
  lookup: EndedLookup;
  /** Sessions the database showed ended: dropped from the cache before any watcher hears of them. */
  found: (ids: string[]) => void;
  onWarning: (message: string, error: unknown) => void;
  /** Watches this instance holds at most (`eventStreamsMax`). */
  maxWatches: number;
}

export function createSessionEvents({ feed, lookup, found, onWarning, maxWatches }: SessionEventsDeps): SessionEvents & { close(): void } {
  // Insertion-ordered: a session's first watcher is its oldest.
  const bySession = new Map<string, Set<Watcher>>();
  const byUser = new Map<string, Set<Watcher>>();
  let count = 0;
  let queued: Watcher[] = [];
  let flush: ReturnType<typeof setImmediate> | undefined;

  function add<K>(map: Map<K, Set<Watcher>>, key: K, watcher: Watcher): void {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    set.add(watcher);
  }

  const isWatched = (watcher: Watcher): boolean => bySession.get(watcher.id)?.has(watcher) === true;

  function remove(watcher: Watcher): void {
    const sessions = bySession.get(watcher.id);
    if (!sessions?.delete(watcher)) return;
    count -= 1;
    if (sessions.size === 0) bySession.delete(watcher.id);
    const users = byUser.get(watcher.userId);
    users?.delete(watcher);
    if (users?.size === 0) byUser.delete(watcher.userId);
  }

  function replace(watcher: Watcher): void {
    remove(watcher);
    try {
      watcher.replaced?.();
    } catch (error) {
      onWarning("auth: a session-event onReplaced callback threw", error);
    }
  }

  function fire(watcher: Watcher, reason: string): void {
    remove(watcher);
    try {
      watcher.listener({ sessionId: watcher.id, reason });
    } catch (error) {
      onWarning("auth: a session-event listener threw", error);
    }
  }

  /** Asks the database which of these watchers' sessions ended, and fires for those. */
  function recheck(all: Watcher[]): void {
    const watchers = all.filter(isWatched);
    if (watchers.length === 0) return;
    lookup(watchers).then(
      (ended) => {
        if (ended.size > 0) found([...ended.keys()]);
        for (const watcher of watchers) {
          const reason = ended.get(watcher.id);
          // Still registered: it may have fired, been replaced or unsubscribed meanwhile.
          if (reason !== undefined && isWatched(watcher)) fire(watcher, reason);
        }
      },
      (error: unknown) => onWarning("auth: could not look up watched sessions", error),
    );
  }

  function onMessage(revocation: Revocation): void {
    switch (revocation.kind) {
      case "sessions":
        if (revocation.reason === null) return;
        for (const id of revocation.ids) {
          for (const watcher of [...(bySession.get(id) ?? [])]) fire(watcher, revocation.reason);
        }
        return;
      case "user":
        if (revocation.reason !== null) recheck([...(byUser.get(revocation.userId) ?? [])]);
        return;
      case "key":
        // A retired key refuses tokens, not sessions: the session lives on through its refresh token.
        return;
      case "all":
        recheckAll();
        return;
    }
  }

  function recheckAll(): void {
    recheck([...bySession.values()].flatMap((set) => [...set]));
  }

  const unsubscribe = feed?.subscribe({ message: onMessage, lost: () => {}, subscribed: recheckAll });

  /** Watches registered in the same turn of the event loop share one lookup. */
  function queueRecheck(watcher: Watcher): void {
    queued.push(watcher);
    flush ??= setImmediate(() => {
      const batch = queued;
      queued = [];
      flush = undefined;
      recheck(batch);
    });
  }

  return {
    watch(session, listener, options = {}) {
      // Only well-formed ids reach the database lookups.
      assertUUID(session.id, "session.id");
      assertUUID(session.userId, "session.userId");
      const sessionWatchers = bySession.get(session.id);
      const oldest = sessionWatchers && sessionWatchers.size >= MAX_WATCHES_PER_SESSION ? sessionWatchers.values().next().value : undefined;
      // A session at its bound makes room itself, so its newest watch is never refused; any other
      // watch is, once the instance is full, rather than closing somebody else's.
      if (oldest) replace(oldest);
      else if (count >= maxWatches) {
        throw new AuthError("SERVER_BUSY", "Too many session-event streams are open on this server; try again shortly.", {
          retryAfter: EVENT_STREAMS_RETRY_AFTER,
        });
      }
      const watcher: Watcher = { id: session.id, userId: session.userId, listener, replaced: options.onReplaced };
      add(bySession, watcher.id, watcher);
      add(byUser, watcher.userId, watcher);
      count += 1;
      // An ending committed before this registration sent its notification to no one.
      queueRecheck(watcher);
      return () => remove(watcher);
    },
    get size() {
      return count;
    },
    close() {
      unsubscribe?.();
      if (flush) clearImmediate(flush);
      flush = undefined;
      queued = [];
      bySession.clear();
      byUser.clear();
      count = 0;
    },
  };
}
