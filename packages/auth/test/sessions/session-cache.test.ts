import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { describe, expect, it, vi } from "vitest";
import { type Auth, createAuth } from "../../src/create-auth.ts";
import { createDatabase } from "../../src/database/database.ts";
import { REVOCATION_CHANNEL, revocationFeed } from "../../src/database/revocation-feed.ts";
import { sessions } from "../../src/database/schema.ts";
import { TEST_SECRET, testBackend, testDatabaseUrl } from "../../src/testing/index.ts";
import { codeOf } from "../codes.ts";
import { databaseUrl } from "../database-url.ts";
import { startPgWireProxy } from "../faults/pg-wire-proxy.ts";
import { cacheListening, nextCacheEvent } from "../session-cache-events.ts";
import { email, PASSWORD, useAuth } from "../fixture.ts";

const t = useAuth();

const register = () => t.auth.register({ email: email(), password: PASSWORD, name: "Ann" });

/** Resolves once `auth` has been told `session` ended (its cache entry is dropped by then). */
function ended(auth: Auth, session: { id: string; userId: string }): Promise<unknown> {
  return new Promise((resolve) => auth.sessionEvents.watch(session, resolve));
}

/** Checks the token twice on `auth` and proves the second check came from memory. */
async function cached(auth: Auth, token: string): Promise<void> {
  await auth.verifyBearerToken(token);
  const before = auth.sessionCache.stats();
  await auth.verifyBearerToken(token);
  const after = auth.sessionCache.stats();
  expect(after.hits - before.hits).toBe(1);
  expect(after.misses).toBe(before.misses);
}

/** Revokes a session in SQL with triggers off: no notification, as when one is lost. */
async function revokeSilently(sessionId: string): Promise<void> {
  await t.database.db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.update(sessions).set({ revokedAt: sql`now()`, revokedReason: "silent" }).where(eq(sessions.id, sessionId));
  });
}

describe("the session cache across instances", () => {
  it("answers from memory, and refuses a session revoked through another instance once notified: each kind", async () => {
    const other = t.withOptions({});
    await cacheListening(other);
    const kinds: [string, (a: Awaited<ReturnType<typeof register>>) => Promise<unknown>, string][] = [
      ["logout", (a) => t.auth.logout(a.session), "SESSION_REVOKED"],
      ["logout everywhere", (a) => t.auth.logout(a.session, { everywhere: true }), "SESSION_REVOKED"],
      ["revoke session", (a) => t.auth.revokeSession(a.user.id, a.session.id), "SESSION_REVOKED"],
      ["account deletion", (a) => t.auth.deleteUser(a, { password: PASSWORD }), "TOKEN_INVALID"],
    ];
    for (const [kind, revoke, code] of kinds) {
      const a = await register();
      await cached(other, a.accessToken);
      const notified = ended(other, a.session);
      await revoke(a);
      await notified;
      expect([kind, await codeOf(other.verifyBearerToken(a.accessToken))]).toEqual([kind, code]);
    }
  });

  it("password change: the other sessions are refused, the one that changed it stays cached", async () => {
    const other = t.withOptions({});
    await cacheListening(other);
    const a = await register();
    const b = await t.auth.signin({ email: a.user.email, password: PASSWORD });
    await cached(other, a.accessToken);
    await cached(other, b.accessToken);
    const notified = ended(other, b.session);
    await t.auth.changePassword(a, { currentPassword: PASSWORD, newPassword: `${PASSWORD} 2` });
    await notified;
    expect(await codeOf(other.verifyBearerToken(b.accessToken))).toBe("SESSION_REVOKED");
    await cached(other, a.accessToken);
  });

  it("refresh-token reuse revokes the session everywhere", async () => {
    const other = t.withOptions({});
    await cacheListening(other);
    const a = await register();
    const rotated = await t.auth.refresh(a.refreshToken);
    await cached(other, rotated.accessToken);
    t.clock.advance(30);
    const notified = ended(other, a.session);
    expect(await codeOf(t.auth.refresh(a.refreshToken))).toBe("REFRESH_REUSED");
    await notified;
    expect(await codeOf(other.verifyBearerToken(rotated.accessToken))).toBe("SESSION_REVOKED");
  });

  it("a revocation made directly in SQL reaches the cache", async () => {
    await cacheListening(t.auth);
    const a = await register();
    await cached(t.auth, a.accessToken);
    const notified = nextCacheEvent(t.auth, "notification");
    await t.database.db.update(sessions).set({ revokedAt: sql`now()`, revokedReason: "admin" }).where(eq(sessions.id, a.session.id));
    await notified;
    expect(await codeOf(t.auth.verifyBearerToken(a.accessToken))).toBe("SESSION_REVOKED");
  });
});

describe("the session cache on the instance that revokes", () => {
  it("refuses at once, without waiting for its own notification: each kind", async () => {
    await cacheListening(t.auth);
    const kinds: [string, (a: Awaited<ReturnType<typeof register>>) => Promise<unknown>, string][] = [
      ["logout", (a) => t.auth.logout(a.session), "SESSION_REVOKED"],
      ["logout everywhere", (a) => t.auth.logout(a.session, { everywhere: true }), "SESSION_REVOKED"],
      ["revoke session", (a) => t.auth.revokeSession(a.user.id, a.session.id), "SESSION_REVOKED"],
      ["account deletion", (a) => t.auth.deleteUser(a, { password: PASSWORD }), "TOKEN_INVALID"],
      [
        "refresh reuse",
        async (a) => {
          await t.auth.refresh(a.refreshToken);
          t.clock.advance(30);
          await codeOf(t.auth.refresh(a.refreshToken));
        },
        "SESSION_REVOKED",
      ],
    ];
    for (const [kind, revoke, code] of kinds) {
      const a = await register();
      await cached(t.auth, a.accessToken);
      await revoke(a);
      expect([kind, await codeOf(t.auth.verifyBearerToken(a.accessToken))]).toEqual([kind, code]);
      t.clock.reset();
    }
    const a = await register();
    const b = await t.auth.signin({ email: a.user.email, password: PASSWORD });
    await cached(t.auth, b.accessToken);
    await t.auth.changePassword(a, { currentPassword: PASSWORD, newPassword: `${PASSWORD} 2` });
    expect(await codeOf(t.auth.verifyBearerToken(b.accessToken))).toBe("SESSION_REVOKED");
  });
});

describe("the verified-token cache", () => {
  it("re-checks exp and nbf on every hit, with the verifier's leeway", async () => {
    const auth = t.withOptions({ algorithm: "HS256", sessionCache: "off" });
    const a = await auth.register({ email: email(), password: PASSWORD, name: "Ann" });
    await auth.verifyBearerToken(a.accessToken);
    t.clock.advance(3600 + 59); // ttl 1h, leeway 60 s
    await auth.verifyBearerToken(a.accessToken);
    expect(auth.sessionCache.stats().tokenHits).toBe(1);
    t.clock.advance(1);
    expect(await codeOf(auth.verifyBearerToken(a.accessToken))).toBe("TOKEN_EXPIRED");
    t.clock.reset();
    t.clock.advance(-61); // the clock stepped back: the token is not valid yet
    expect(await codeOf(auth.verifyBearerToken(a.accessToken))).toBe("TOKEN_INVALID");
    expect(auth.sessionCache.stats().tokenHits).toBe(1);
  });
});

describe("safety nets", () => {
  it("max age: an entry whose notification was lost is read again after sessionCacheMaxAge", async () => {
    const auth = t.withOptions({ sessionCacheMaxAge: "30s" });
    await cacheListening(auth);
    const a = await register();
    await cached(auth, a.accessToken);
    await revokeSilently(a.session.id);
    t.clock.advance(29);
    expect(await auth.checkBearerToken(a.accessToken)).not.toBeNull(); // stale, within the backstop
    t.clock.advance(1);
    expect(await codeOf(auth.verifyBearerToken(a.accessToken))).toBe("SESSION_REVOKED");
  });

  it('sessionCache "off" reads the database on every check', async () => {
    const auth = t.withOptions({ sessionCache: "off" });
    const a = await register();
    await auth.verifyBearerToken(a.accessToken);
    await auth.verifyBearerToken(a.accessToken);
    expect(auth.sessionCache.mode).toBe("off");
    expect(auth.sessionCache.stats()).toMatchObject({ hits: 0, misses: 2, tokenHits: 1 });
    await revokeSilently(a.session.id);
    expect(await codeOf(auth.verifyBearerToken(a.accessToken))).toBe("SESSION_REVOKED");
  });

  it("is bounded: the least recently used session is evicted", async () => {
    const auth = t.withOptions({ sessionCacheSize: 2 });
    await cacheListening(auth);
    const [a, b, c] = await Promise.all([register(), register(), register()]);
    if (!a || !b || !c) throw new Error("registration failed");
    await cached(auth, a.accessToken);
    await cached(auth, b.accessToken);
    await cached(auth, c.accessToken);
    const before = auth.sessionCache.stats();
    await auth.verifyBearerToken(a.accessToken);
    expect(auth.sessionCache.stats().misses - before.misses).toBe(1);
  });

  it("refuses sessions past their expiry or idle deadline though cached", async () => {
    const auth = t.withOptions({ refreshIdleTimeout: "2m", sessionCacheMaxAge: "5m" });
    await cacheListening(auth);
    const a = await auth.register({ email: email(), password: PASSWORD, name: "Ann" });
    await cached(auth, a.accessToken);
    t.clock.advance(120);
    expect(await codeOf(auth.verifyBearerToken(a.accessToken))).toBe("SESSION_REVOKED");
  });
});

describe.runIf(testBackend() === "postgres")("listener loss (PostgreSQL)", () => {
  /** Lets new connections to the test database in or not (from another database: PostgreSQL requires it); open ones stay open. */
  async function allowConnections(allow: boolean): Promise<void> {
    const [row] = (await t.database.db.execute(sql`select current_database() as name`)) as unknown as { name: string }[];
    const admin = postgres(testDatabaseUrl(), { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`alter database "${row?.name ?? ""}" with allow_connections ${allow}`);
    } finally {
      await admin.end();
    }
  }

  it("falls back to the database while down, and caches again once resubscribed", async () => {
    const other = t.withOptions({});
    await cacheListening(other);
    const a = await register();
    const b = await register();
    await cached(other, a.accessToken);
    const lost = nextCacheEvent(other, "lost");
    const back = nextCacheEvent(other, "subscribed");
    // Kept down: the listener's reconnection is refused until connections are allowed again.
    await allowConnections(false);
    try {
      await t.database.db.execute(
        sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'listen %'`,
      );
      await lost;
      expect(other.sessionCache.listening).toBe(false);
      // Strict while down: every check reads the database, none is cached.
      const before = other.sessionCache.stats();
      await other.verifyBearerToken(a.accessToken);
      await other.verifyBearerToken(a.accessToken);
      expect(other.sessionCache.stats()).toMatchObject({ hits: before.hits, misses: before.misses + 2 });
      // Sent while nobody listens: this notification is lost, and the revocation refused anyway.
      await t.database.db.update(sessions).set({ revokedAt: sql`now()`, revokedReason: "admin" }).where(eq(sessions.id, a.session.id));
      expect(await codeOf(other.verifyBearerToken(a.accessToken))).toBe("SESSION_REVOKED");
    } finally {
      await allowConnections(true);
    }
    await back;
    expect(other.sessionCache.listening).toBe(true);
    await cached(other, b.accessToken);
  });
});

describe("the listener's probes", () => {
  it("another instance's probe is no revocation: nothing is dropped", async () => {
    await cacheListening(t.auth);
    const a = await register();
    const b = await register();
    await cached(t.auth, a.accessToken);
    const before = t.auth.sessionCache.stats().notifications;
    await t.database.db.execute(sql`select pg_notify(${REVOCATION_CHANNEL}, ${JSON.stringify({ p: "another-instance" })})`);
    // Delivered in order: once this revocation is applied, the probe before it was handled.
    const applied = nextCacheEvent(t.auth, "notification");
    await t.database.db.update(sessions).set({ revokedAt: sql`now()`, revokedReason: "admin" }).where(eq(sessions.id, b.session.id));
    await applied;
    expect(t.auth.sessionCache.stats().notifications).toBe(before + 1);
    await cached(t.auth, a.accessToken);
  });
});

describe.runIf(testBackend() === "postgres")("a listener that never receives (PostgreSQL)", () => {
  it("stays strict while LISTEN succeeds and nothing arrives, caches once probes do, and turns strict at a missed one", async () => {
    // As behind a transaction-mode pooler: LISTEN succeeds, notifications never reach this client.
    const proxy = await startPgWireProxy(await databaseUrl(t.database));
    proxy.swallowNotifications = true;
    const database = await createDatabase({ url: proxy.url, maxConnections: 2 });
    revocationFeed(database.db, { probeIntervalMs: 100 });
    const warnings: string[] = [];
    const onWarning = (message: string) => warnings.push(message);
    const deaf = createAuth({ db: database.db, secret: TEST_SECRET, now: t.clock.now, onWarning });
    try {
      const a = await register();
      // The server delivered several probes to the listening session, and the proxy dropped them.
      await vi.waitFor(() => expect(proxy.swallowed).toBeGreaterThanOrEqual(3), { timeout: 10_000 });
      expect(deaf.sessionCache.listening).toBe(false);
      // Said once, however many probes were missed.
      expect(warnings).toEqual([expect.stringMatching(/^auth: the revocation listener did not hear its own probe/)]);
      // Strict: every check reads the database...
      const before = deaf.sessionCache.stats();
      await deaf.verifyBearerToken(a.accessToken);
      await deaf.verifyBearerToken(a.accessToken);
      expect(deaf.sessionCache.stats()).toMatchObject({ hits: before.hits, misses: before.misses + 2 });
      // ...so a revocation whose notification never arrives is refused at once.
      await t.database.db.update(sessions).set({ revokedAt: sql`now()`, revokedReason: "admin" }).where(eq(sessions.id, a.session.id));
      expect(await codeOf(deaf.verifyBearerToken(a.accessToken))).toBe("SESSION_REVOKED");

      const proven = nextCacheEvent(deaf, "subscribed");
      proxy.swallowNotifications = false;
      await proven;
      expect(deaf.sessionCache.listening).toBe(true);
      const b = await register();
      await cached(deaf, b.accessToken);

      // Deaf again: the next probe is missed, and the instance is strict until one arrives.
      const lost = nextCacheEvent(deaf, "lost");
      proxy.swallowNotifications = true;
      await lost;
      expect(deaf.sessionCache.listening).toBe(false);
      const strict = deaf.sessionCache.stats();
      await deaf.verifyBearerToken(b.accessToken);
      expect(deaf.sessionCache.stats()).toMatchObject({ hits: strict.hits, misses: strict.misses + 1 });
    } finally {
      await deaf.close();
      await database.close();
      await proxy.close();
    }
  });
});

describe("last_used_at", () => {
  it("is written in batches off the request path, at most once a minute", async () => {
    const auth = t.withOptions({});
    const a = await register();
    const stored = async () =>
      (await t.database.db.select({ at: sessions.lastUsedAt }).from(sessions).where(eq(sessions.id, a.session.id)))[0]?.at.getTime();
    const created = a.session.lastUsedAt.getTime();
    t.clock.advance(61);
    const used = await auth.verifyBearerToken(a.accessToken);
    expect(used.session.lastUsedAt.getTime()).toBe(created + 61_000);
    expect(await stored()).toBe(created); // queued, not written by the request
    await auth.close();
    expect(await stored()).toBe(created + 61_000);
  });

  it("a failed write is reported to onWarning and never rejects", async () => {
    const warnings: string[] = [];
    const auth = t.withOptions({ onWarning: (message) => warnings.push(message) });
    const a = await register();
    await t.database.db.execute(sql.raw(`create or replace function bearer_kit.refuse_use() returns trigger language plpgsql as $$
      begin raise exception 'refused'; end $$`));
    await t.database.db.execute(
      sql.raw(`create trigger refuse_use before update of last_used_at on bearer_kit.sessions for each row execute function bearer_kit.refuse_use()`),
    );
    try {
      t.clock.advance(61);
      await auth.verifyBearerToken(a.accessToken);
      await expect(auth.close()).resolves.toBeUndefined();
      expect(warnings).toEqual(["auth: could not record session use (last_used_at)"]);
    } finally {
      await t.database.db.execute(sql.raw(`drop trigger refuse_use on bearer_kit.sessions`));
    }
  });
});
