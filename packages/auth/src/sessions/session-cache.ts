/**
 * The hot path of every protected call: a bearer token to its user and session, from memory
 * when it safely can be, from the database otherwise.
 *
 * - A token verified before skips its signature (tokens/access-token.ts, `verified`).
 * - With the cache on and the revocation listener subscribed, the session and its user come
 *   from `SessionCache` (sessions/session-cache-entries.ts). Every notification drops what it names; losing
 *   the listener drops everything and serves nothing from memory until it has subscribed again.
 * - With the cache off, or while the listener is down, every check reads the database: the
 *   strict mode, which still skips the signature of a token seen before.
 */
import type { AccessClaims, AccessTokens } from "../tokens/access-token.ts";
import { AuthError } from "../errors.ts";
import type { KeyTrust } from "../keys/key-set-types.ts";
import { rethrowDatabaseError } from "../database/db-errors.ts";
import type { Revocation, RevocationFeed } from "../database/revocation-feed.ts";
import { type CachedSession, SessionCache } from "./session-cache-entries.ts";
import { type SessionRow, sessionProblem, toSession } from "../database/rows.ts";
import type { AuthConfig } from "../config/options.ts";
import type { SessionStore } from "./session-store.ts";
import type { Session, User } from "../types.ts";

/** Counts since start, for tests, benchmarks and monitoring. */
export interface SessionCacheStats {
  /** Checks answered from memory: no database I/O. */
  hits: number;
  /** Checks that read the session from the database. */
  misses: number;
  /** Checks whose token signature was skipped (verified before). */
  tokenHits: number;
  /** Notifications applied. */
  notifications: number;
}

export type SessionCacheEvent = "notification" | "lost" | "subscribed";

export interface SessionCacheStatus {
  /** `on` (the default) or `off` (strict: the database on every check). */
  readonly mode: "on" | "off";
  /** True while revocations reach this instance, so checks may be answered from memory. */
  readonly listening: boolean;
  stats(): SessionCacheStats;
  /**
   * Calls `listener` after each notification is applied, and when the listener is lost or
   * subscribes again. Returns an unsubscribe function.
   *
   * @example auth.sessionCache.observe((event) => event === "lost" && log("auth: revocation listener down"));
   */
  observe(listener: (event: SessionCacheEvent) => void): () => void;
}

type Verified = Readonly<{ user: User; session: Session }>;

interface Deps {
  config: AuthConfig;
  access: AccessTokens;
  keys: KeyTrust;
  store: SessionStore;
  feed: RevocationFeed | null;
}

/** What this instance just revoked, dropped here at once: its own notification comes later. */
export interface LocalRevocations {
  sessions(ids: readonly string[]): void;
  user(userId: string): void;
}

export function createSessionCheck({ config, access, keys, store, feed }: Deps): {
  verify(token: string): Promise<Verified>;
  status: SessionCacheStatus;
  revoked: LocalRevocations;
  close(): void;
} {
  const enabled = config.sessionCache === "on" && feed !== null;
  const cache = new SessionCache({ size: config.sessionCacheSize, maxAgeMs: config.sessionCacheMaxAge * 1000 });
  const stats: SessionCacheStats = { hits: 0, misses: 0, tokenHits: 0, notifications: 0 };
  const observers = new Set<(event: SessionCacheEvent) => void>();

  function tell(event: SessionCacheEvent): void {
    for (const observer of observers) observer(event);
  }

  function apply(revocation: Revocation): void {
    stats.notifications += 1;
    switch (revocation.kind) {
      case "sessions":
        cache.dropSessions(revocation.ids);
        break;
      case "user":
        cache.dropUser(revocation.userId);
        break;
      case "key":
        // Tokens of a retired key are refused: the next hit finds the key set expired and reloads it.
        keys.expire();
        break;
      case "all":
        cache.clear();
        break;
    }
    tell("notification");
  }

  // Once per deaf spell: a listener that hears nothing misses a probe every interval.
  let warnedDeaf = false;
  const unsubscribe = feed?.subscribe({
    message: apply,
    lost() {
      cache.clear();
      tell("lost");
    },
    missed() {
      if (warnedDeaf) return;
      warnedDeaf = true;
      config.onWarning(
        "auth: the revocation listener did not hear its own probe, so every check reads the database until it does. " +
          "Is DATABASE_URL a transaction-mode pooler? The listener needs a direct connection or session-mode pooling.",
        null,
      );
    },
    subscribed() {
      warnedDeaf = false;
      // Notifications sent while down are lost: nothing cached before can be trusted.
      cache.clear();
      keys.expire();
      tell("subscribed");
    },
  });

  function freeze(user: User, session: Session): Verified {
    return Object.freeze({ user: Object.freeze(user), session: Object.freeze(session) });
  }

  async function fromDatabase(sid: string, sub: string, now: Date): Promise<Verified> {
    // Noted before the read: a drop that lands meanwhile keeps this result out of the cache.
    const generation = cache.generation;
    const listening = enabled && feed.listening;
    stats.misses += 1;
    const row = await store.findWithUser(sid).catch(rethrowDatabaseError);
    // A missing row means the session, or its user (deleted with cascade), is gone.
    if (!row || row.session.userId !== sub) throw new AuthError("TOKEN_INVALID", "The access token is invalid.");
    if (sessionProblem(row.session, now, row.credentialVersion)) throw new AuthError("SESSION_REVOKED", "The session has ended; sign in again.");
    const lastUsedAt = store.touch(row.session, now);
    const result = freeze(row.user, { ...toSession(row.session), lastUsedAt });
    if (listening && feed.listening) cache.set(sid, entryOf(row.session, result, now), generation);
    return result;
  }

  function entryOf(session: SessionRow, result: Verified, now: Date): CachedSession {
    const endsAt = Math.min(session.expiresAt.getTime(), session.idleExpiresAt.getTime());
    return { userId: session.userId, result, endsAt, cachedAt: now.getTime() };
  }

  async function slow(token: string, now: Date): Promise<Verified> {
    return fromSession(await access.verify(token), now);
  }

  function fromSession(claims: AccessClaims, now: Date): Promise<Verified> {
    if (enabled && feed.listening) {
      const hit = cache.get(claims.sid, now.getTime());
      if (hit !== undefined && hit.userId === claims.sub) {
        stats.hits += 1;
        const { session } = hit.result;
        const lastUsedAt = store.touch(session, now);
        // Once a minute: a new result carrying the new last use.
        if (lastUsedAt !== session.lastUsedAt) {
          const result = freeze(hit.result.user, { ...session, lastUsedAt });
          cache.update(claims.sid, { ...hit, result });
          return Promise.resolve(result);
        }
        return Promise.resolve(hit.result);
      }
    }
    return fromDatabase(claims.sid, claims.sub, now);
  }

  function verify(token: string): Promise<Verified> {
    const now = config.now();
    const claims = access.verified(token, now.getTime());
    if (claims === undefined) return slow(token, now);
    stats.tokenHits += 1;
    return fromSession(claims, now);
  }

  return {
    verify,
    // Called after the revoking transaction committed: a check that read the row before the
    // commit noted an older generation, so it cannot put the session back.
    revoked: {
      sessions: (ids) => cache.dropSessions(ids),
      user: (userId) => cache.dropUser(userId),
    },
    status: {
      mode: config.sessionCache,
      get listening() {
        return feed?.listening ?? false;
      },
      stats: () => ({ ...stats }),
      observe(listener) {
        observers.add(listener);
        return () => observers.delete(listener);
      },
    },
    close() {
      unsubscribe?.();
      cache.clear();
      observers.clear();
    },
  };
}
