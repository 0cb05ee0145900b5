/**
 * Live sessions with their users, by session id, so a check can skip the database.
 *
 * An entry is only served while all of these hold, checked against the pinned clock:
 * - it is younger than `maxAge` (the backstop for a notification lost despite everything);
 * - the session's absolute expiry and idle deadline are still ahead;
 * - the revocation listener is subscribed (the caller checks that).
 *
 * Ordering: a check that read the database before a revocation committed must not put the
 * session back after the notification dropped it. Every drop bumps `generation`; a check
 * notes it before reading, and `set` refuses an entry whose reading started before a drop.
 */
import type { Session, User } from "../types.ts";
import { LRU } from "../lib/lru.ts";

export interface CachedSession {
  userId: string;
  /** Frozen: one object is handed to every request that hits. */
  result: Readonly<{ user: User; session: Session }>;
  /** The earlier of the session's expiry and idle deadline, in ms. */
  endsAt: number;
  cachedAt: number;
}

export class SessionCache {
  readonly #entries: LRU<string, CachedSession>;
  readonly #maxAgeMs: number;
  #generation = 0;

  constructor(options: { size: number; maxAgeMs: number }) {
    this.#entries = new LRU(options.size);
    this.#maxAgeMs = options.maxAgeMs;
  }

  /** Note it before reading the database; pass it to `set`. */
  get generation(): number {
    return this.#generation;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(sessionId: string, nowMs: number): CachedSession | undefined {
    const entry = this.#entries.get(sessionId);
    if (entry === undefined) return undefined;
    // A clock stepped back makes the age negative: read again rather than trust it.
    const age = nowMs - entry.cachedAt;
    if (age < 0 || age >= this.#maxAgeMs || nowMs >= entry.endsAt) {
      this.#entries.delete(sessionId);
      return undefined;
    }
    return entry;
  }

  /** Caches `entry` unless something was dropped since `generation` was read. */
  set(sessionId: string, entry: CachedSession, generation: number): void {
    if (generation === this.#generation) this.#entries.set(sessionId, entry);
  }

  /** Replaces the entry in place (a new `last_used_at`), if it is still there. */
  update(sessionId: string, entry: CachedSession): void {
    if (this.#entries.get(sessionId) !== undefined) this.#entries.set(sessionId, entry);
  }

  dropSessions(ids: readonly string[]): void {
    this.#generation += 1;
    for (const id of ids) this.#entries.delete(id);
  }

  dropUser(userId: string): void {
    this.#generation += 1;
    this.#entries.deleteWhere((entry) => entry.userId === userId);
  }

  clear(): void {
    this.#generation += 1;
    this.#entries.clear();
  }
}
