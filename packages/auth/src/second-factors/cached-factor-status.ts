/**
 * `auth.me` answers every page load with the account's two-factor summary. Read from the
 * database on each call, it made a protected call cost two round trips where the session cache
 * had brought it to none (`pnpm bench`: protected/public fell from ≥ 0.85× to 0.42×). So the
 * summary is served from memory on the session cache's own terms:
 *
 * - only while the revocation listener hears (`feed.listening`), whatever `AUTH_SESSION_CACHE`
 *   says: that setting makes every *token check* read the database, and this summary decides
 *   nothing (read with the cache off, it halved `pnpm bench`'s strict protected/public too);
 * - at most `AUTH_SESSION_CACHE_MAX_AGE` old, the backstop for a notification lost anyway;
 * - dropped by this instance's own changes (enable, disable, new codes, a code used) and by
 *   every instance's notifications: the first three raise the credential version, which the users
 *   trigger announces, and a recovery code's use announces itself (factor-store.ts);
 * - a read that began before a drop is not stored (a generation count, as the session cache
 *   does), so a slow read never brings back what a change replaced.
 *
 * The summary is for display only: every decision (sign-in's second step, a sensitive change)
 * reads the factor rows in its own transaction, never this cache.
 */
import type { AuthConfig } from "../config/options.ts";
import type { AuthDB } from "../database/auth-db.ts";
import type { Revocation, RevocationFeed } from "../database/revocation-hub.ts";
import { LRU } from "../lib/lru.ts";
import type { FactorStore, TwoFactorStatus } from "./factor-store.ts";

interface Entry {
  status: TwoFactorStatus;
  atMs: number;
}

/** The store, with `status` served from memory when it safely can be, and `close` to unsubscribe. */
export interface CachedFactorStore extends FactorStore {
  close(): void;
}

/**
 * @example
 * const factors = cacheFactorStatus(createFactorStore(config), { config, feed });
 * await factors.status(db, userId); // from memory on a repeat, while the listener hears
 */
export function cacheFactorStatus(
  store: FactorStore,
  { config, feed }: { config: Pick<AuthConfig, "sessionCacheSize" | "sessionCacheMaxAge" | "now">; feed: RevocationFeed | null },
): CachedFactorStore {
  const enabled = feed !== null;
  const entries = new LRU<string, Entry>(config.sessionCacheSize);
  const maxAgeMs = config.sessionCacheMaxAge * 1000;
  let generation = 0;

  function forget(userId: string): void {
    generation += 1;
    entries.delete(userId);
  }

  function forgetAll(): void {
    generation += 1;
    entries.clear();
  }

  function apply(revocation: Revocation): void {
    if (revocation.kind === "user") forget(revocation.userId);
    else if (revocation.kind === "all") forgetAll();
    // Session and key notifications say nothing of factors: dropping on them would empty the
    // cache on every sign-out of a busy instance.
  }

  const unsubscribe = enabled ? feed.subscribe({ message: apply, lost: forgetAll, subscribed: forgetAll, missed: forgetAll }) : null;

  /** Runs a write that changes `userId`'s summary, dropping it before and after. */
  async function changing<T>(userId: string, write: () => Promise<T>): Promise<T> {
    forget(userId);
    try {
      return await write();
    } finally {
      forget(userId);
    }
  }

  return {
    ...store,

    async status(db: AuthDB, userId: string): Promise<TwoFactorStatus> {
      const serving = enabled && feed.listening;
      const nowMs = config.now().getTime();
      if (serving) {
        const entry = entries.get(userId);
        if (entry && nowMs - entry.atMs >= 0 && nowMs - entry.atMs < maxAgeMs) return entry.status;
      }
      const started = generation;
      const status = await store.status(db, userId);
      if (serving && started === generation && feed.listening) entries.set(userId, { status: Object.freeze({ ...status }), atMs: nowMs });
      return status;
    },

    use: (tx, request) => changing(request.userId, () => store.use(tx, request)),
    enable: (tx, userId, code) => changing(userId, () => store.enable(tx, userId, code)),
    remove: (tx, userId) => changing(userId, () => store.remove(tx, userId)),
    replaceRecoveryCodes: (tx, userId) => changing(userId, () => store.replaceRecoveryCodes(tx, userId)),

    close() {
      unsubscribe?.();
      entries.clear();
    },
  };
}
