import { ExpiryHeap, type HeapNode } from "./expiry-heap.ts";

/** Why a verified token is refused by what the feed said, or `null`. */
export type Revoked = "session" | "credentials" | null;

export interface RevocationState {
  /** Every token of session `sid` is refused; `at` is the revocation time, seconds. */
  revokeSession(sid: string, at: number, now: number): void;
  /** Every token of user `sub` issued before `at` (seconds) is refused. */
  changeCredentials(sub: string, at: number, now: number): void;
  /** Whether a verified token's session or user was revoked; `now` in seconds. */
  check(claims: { sub: string; sid: string; iat: number }, now: number): Revoked;
  /** Entries held (revoked sessions plus users with a credential change). */
  readonly size: number;
  /** Entries dropped so far because the state was full. */
  readonly evicted: number;
}

export interface RevocationStateOptions {
  maxEntries: number;
  /** Seconds an entry is kept after its event: the longest token lifetime plus the leeway. */
  keepFor: number;
}

interface Entry {
  /** The event time, seconds: the revocation, or the user's latest credential change. */
  at: number;
  /** Seconds; no token this entry could refuse is still valid after it. */
  expiresAt: number;
}

/**
 * What a verifier remembers of the feed, and no more: each revoked session, and each user's
 * latest credential change, until no token they could refuse is still valid (event time plus
 * `keepFor`). At most `maxEntries`: past it the entry that would expire soonest goes, as it
 * protects the shortest remaining window.
 *
 * @example
 * const state = createRevocationState({ maxEntries: 100_000, keepFor: 86_400 + 60 });
 * state.revokeSession(sid, eventTime, now);
 * state.check(claims, now); // "session"
 */
export function createRevocationState(options: RevocationStateOptions): RevocationState {
  const entries = new Map<string, Entry>();
  const heap = new ExpiryHeap();
  let evicted = 0;

  const live = (node: HeapNode) => entries.get(node.key)?.expiresAt === node.expiresAt;

  function prune(now: number): void {
    for (let top = heap.peek(); top && (!live(top) || top.expiresAt <= now); top = heap.peek()) {
      heap.pop();
      if (live(top)) entries.delete(top.key);
    }
    while (entries.size > options.maxEntries) {
      const node = heap.pop();
      if (!node) break;
      if (!live(node)) continue;
      entries.delete(node.key);
      evicted += 1;
    }
    // Replaced nodes pile up when one user changes credentials again and again: rebuild.
    if (heap.nodes.length > 2 * options.maxEntries + 1024) {
      heap.nodes = [];
      for (const [key, entry] of entries) heap.push({ key, expiresAt: entry.expiresAt });
    }
  }

  function keep(key: string, at: number, now: number): void {
    const previous = entries.get(key);
    const latest = Math.max(at, previous?.at ?? at);
    const expiresAt = latest + options.keepFor;
    // An event older than any live token refuses nothing.
    if (expiresAt <= now || previous?.expiresAt === expiresAt) return prune(now);
    entries.set(key, { at: latest, expiresAt });
    heap.push({ key, expiresAt });
    prune(now);
  }

  return {
    revokeSession: (sid, at, now) => keep(`s:${sid}`, at, now),
    changeCredentials: (sub, at, now) => keep(`u:${sub}`, at, now),
    check(claims, now) {
      const session = entries.get(`s:${claims.sid}`);
      if (session && session.expiresAt > now) return "session";
      const user = entries.get(`u:${claims.sub}`);
      // `iat` has whole seconds only: a token from the change's own second may have been issued
      // after it (a password reset signs its user in within the same second), so it is let be.
      if (user && user.expiresAt > now && claims.iat < Math.floor(user.at)) return "credentials";
      return null;
    },
    get size() {
      return entries.size;
    },
    get evicted() {
      return evicted;
    },
  };
}
