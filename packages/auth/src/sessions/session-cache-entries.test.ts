import { describe, expect, it } from "vitest";
import { type CachedSession, SessionCache } from "./session-cache-entries.ts";

const NOW = Date.UTC(2026, 0, 1);

function entry(userId: string, cachedAt = NOW): CachedSession {
  const at = new Date(cachedAt);
  const session = { id: "s", userId, createdAt: at, lastUsedAt: at, expiresAt: at, idleExpiresAt: at, userAgent: null, ipAddress: null, amr: [], dpopJkt: null };
  return { userId, result: { user: { id: userId, email: "a@example.com", name: "A", createdAt: at, emailVerified: false }, session }, endsAt: NOW + 3_600_000, cachedAt };
}

describe("SessionCache", () => {
  it("keeps out a session read before a revocation that was applied meanwhile", () => {
    const cache = new SessionCache({ size: 10, maxAgeMs: 60_000 });
    const generation = cache.generation; // a check notes it, then reads the database...
    cache.dropSessions(["s1"]); // ...the revocation's notification lands...
    cache.set("s1", entry("u1"), generation); // ...and the stale row must not come back
    expect(cache.get("s1", NOW)).toBeUndefined();
    cache.set("s1", entry("u1"), cache.generation);
    expect(cache.get("s1", NOW)).toBeDefined();
  });

  it("drops a user's sessions, and everything on clear", () => {
    const cache = new SessionCache({ size: 10, maxAgeMs: 60_000 });
    cache.set("s1", entry("u1"), cache.generation);
    cache.set("s2", entry("u2"), cache.generation);
    cache.dropUser("u1");
    expect([cache.get("s1", NOW), cache.get("s2", NOW)?.userId]).toEqual([undefined, "u2"]);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it("serves an entry only within its max age, before its end, and never after the clock stepped back", () => {
    const cache = new SessionCache({ size: 10, maxAgeMs: 60_000 });
    cache.set("s1", entry("u1"), cache.generation);
    expect(cache.get("s1", NOW + 59_999)).toBeDefined();
    expect(cache.get("s1", NOW + 60_000)).toBeUndefined();
    cache.set("s1", entry("u1"), cache.generation);
    expect(cache.get("s1", NOW - 1)).toBeUndefined();
    cache.set("s1", { ...entry("u1"), endsAt: NOW + 10 }, cache.generation);
    expect(cache.get("s1", NOW + 10)).toBeUndefined();
  });
});
