/**
 * Session endings, as they happen, on this instance or any other sharing the database: the
 * revocation feed (lib/revocation-feed.ts) carries them on PostgreSQL NOTIFY, or in process on PGlite.
 *
 * Notifications can be lost while the listener is down, and a bulk revocation names only the
 * user. So whenever a notification does not say which sessions ended (a bulk revocation, a
 * resubscription after a loss) the watched sessions are looked up in the database, and each
 * `watch` also looks its session up once, for an ending that came before it was registered.
 */
import type { Revocation, RevocationFeed } from "./lib/revocation-feed.ts";
import { assertUUID } from "./lib/uuid.ts";

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

export interface SessionEvents {
  /**
   * Calls `listener` once when this session ends, on this instance or any other sharing the
   * database. Returns an unsubscribe function.
   *
   * @example
   * const stop = auth.sessionEvents.watch(guard.session, ({ reason }) => push({ type: "signed-out", reason }));
   */
  watch(session: { id: string; userId: string }, listener: (event: SessionEnded) => void): () => void;
}

/** Why each of these sessions has ended, looked up in the database; live ones are absent. */
export type EndedLookup = (sessions: readonly { id: string; userId: string }[]) => Promise<Map<string, string>>;

interface Watcher {
  id: string;
  userId: string;
  listener: (event: SessionEnded) => void;
}

export interface SessionEventsDeps {
  feed: RevocationFeed | null;
  lookup: EndedLookup;
  /** Sessions the database showed ended: dropped from the cache before any watcher hears of them. */
  found: (ids: string[]) => void;
  onWarning: (message: string, error: unknown) => void;
}

export function createSessionEvents({ feed, lookup, found, onWarning }: SessionEventsDeps): SessionEvents & { close(): void } {
  const bySession = new Map<string, Set<Watcher>>();
  const byUser = new Map<string, Set<Watcher>>();

  function add<K>(map: Map<K, Set<Watcher>>, key: K, watcher: Watcher): void {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    set.add(watcher);
  }

  function remove(watcher: Watcher): void {
    for (const [map, key] of [
      [bySession, watcher.id],
      [byUser, watcher.userId],
    ] as const) {
      const set = map.get(key);
      set?.delete(watcher);
      if (set?.size === 0) map.delete(key);
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
  function recheck(watchers: Watcher[]): void {
    if (watchers.length === 0) return;
    lookup(watchers).then(
      (ended) => {
        if (ended.size > 0) found([...ended.keys()]);
        for (const watcher of watchers) {
          const reason = ended.get(watcher.id);
          // Still registered: it may have fired or been unsubscribed meanwhile.
          if (reason !== undefined && bySession.get(watcher.id)?.has(watcher)) fire(watcher, reason);
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

  return {
    watch(session, listener) {
      // Only well-formed ids reach the database lookups.
      assertUUID(session.id, "session.id");
      assertUUID(session.userId, "session.userId");
      const watcher: Watcher = { id: session.id, userId: session.userId, listener };
      add(bySession, watcher.id, watcher);
      add(byUser, watcher.userId, watcher);
      // An ending committed before this registration sent its notification to no one.
      recheck([watcher]);
      return () => remove(watcher);
    },
    close() {
      unsubscribe?.();
      bySession.clear();
      byUser.clear();
    },
  };
}
