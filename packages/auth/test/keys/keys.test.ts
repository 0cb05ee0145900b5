import { createPublicKey, generateKeyPairSync, type JsonWebKey } from "node:crypto";
import { sql } from "drizzle-orm";
import { createLocalJWKSet, decodeProtectedHeader, importJWK, jwtVerify, SignJWT } from "jose";
import { describe, expect, it, vi } from "vitest";
import { createAuth } from "../../src/create-auth.ts";
import { createDatabase } from "../../src/database/database.ts";
import { createJwksHandler } from "../../src/keys/jwks-handler.ts";
import { KEYS_LOCK_KEY } from "../../src/keys/key-rows.ts";
import { signingKeys } from "../../src/database/schema.ts";
import { TEST_SECRET, testBackend } from "../../src/testing/index.ts";
import { codeOf } from "../codes.ts";
import { databaseUrl } from "../database-url.ts";
import { startPgWireProxy } from "../faults/pg-wire-proxy.ts";
import { email, PASSWORD, useAuth } from "../fixture.ts";
import { cacheListening, nextCacheEvent } from "../session-cache-events.ts";

const t = useAuth();

const headerOf = (token: string) => decodeProtectedHeader(token);
const signedIn = () => t.auth.register({ email: email(), password: PASSWORD, name: "Ann" });
const verifyCode = (token: string) => codeOf(t.auth.verifyBearerToken(token));

/** Claims the server would accept, for forging tokens with other keys or algorithms. */
async function forgeable() {
  const { user, session } = await signedIn();
  const now = Math.floor(t.clock.now().getTime() / 1000);
  const claims = { sid: session.id, sub: user.id, iss: "bearer-kit", aud: "bearer-kit", iat: now, exp: now + 600, jti: "j" };
  return { claims, user };
}

describe("the ES256 default", () => {
  it("signs with the current key; its kid is in the JWKS, which verifies it on its own", async () => {
    const { accessToken } = await signedIn();
    const header = headerOf(accessToken);
    expect(header).toMatchObject({ alg: "ES256", typ: "at+jwt" });
    const jwks = await t.auth.keys.jwks();
    expect(jwks.keys.map((key) => key.kid)).toContain(header.kid);
    // What an outside service does with nothing but the JWKS.
    const { payload } = await jwtVerify(accessToken, createLocalJWKSet(jwks), {
      algorithms: ["ES256"],
      currentDate: t.clock.now(),
    });
    expect(payload.sub).toBeTypeOf("string");
  });

  it("publishes current and next, public members only", async () => {
    const jwks = await t.auth.keys.jwks();
    const states = (await t.auth.keys.list()).filter((key) => key.state !== "retired").map((key) => key.state);
    expect(states.sort()).toEqual(["current", "next"]);
    expect(jwks.keys).toHaveLength(2);
    for (const key of jwks.keys) {
      expect(Object.keys(key).sort()).toEqual(["alg", "crv", "kid", "kty", "use", "x", "y"]);
      expect(key).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig" });
    }
  });

  it("serves the JWKS with a 5-minute public cache and no private parameter", async () => {
    const response = await createJwksHandler(t.auth)(new Request("http://localhost/.well-known/jwks.json"));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("public, max-age=300");
    const text = await response.text();
    for (const member of ["d", "p", "q", "dp", "dq", "qi", "k"]) expect(text).not.toContain(`"${member}":`);
    expect(JSON.parse(text)).toEqual(await t.auth.keys.jwks());
  });

  it("answers 503, never cached, when the service cannot open; under HS256 an empty set", async () => {
    const down = await createJwksHandler(() => Promise.reject(new Error("database down")))(new Request("http://localhost/"));
    expect(down.status).toBe(503);
    expect(down.headers.get("cache-control")).toBe("no-store");
    const hmac = await createJwksHandler(t.withOptions({ algorithm: "HS256" }))(new Request("http://localhost/"));
    expect(await hmac.json()).toEqual({ keys: [] });
  });

  it("keeps the private key encrypted at rest: no row holds a plaintext d", async () => {
    const rows = await t.database.db.select().from(signingKeys);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) {
      expect(row.encryptedPrivateKey).toMatch(/^v1\.[\w-]{16}\.[\w-]+$/);
      expect(JSON.stringify(row)).not.toMatch(/"d"/);
      expect(Object.keys(row.publicJwk).sort()).toEqual(["crv", "kty", "x", "y"]);
    }
    // Another secret cannot use the set: the key that encrypts it is derived from AUTH_SECRET.
    const other = t.withOptions({ secret: "another-secret-that-is-long-enough-for-es256!!" });
    await expect(other.register({ email: email(), password: PASSWORD, name: "Bo" })).rejects.toThrow(/cannot decrypt signing key/);
  });
});

describe("forged tokens", () => {
  it("refuses HS256 signed with the public key's PEM or JWK as the secret (key confusion)", async () => {
    const { claims } = await forgeable();
    const [current] = (await t.auth.keys.jwks()).keys;
    if (!current) throw new Error("no current key");
    const pem = createPublicKey({ key: { ...current } as JsonWebKey, format: "jwk" }).export({ type: "spki", format: "pem" }).toString();
    for (const secret of [pem, JSON.stringify(current)]) {
      for (const header of [{ alg: "HS256", kid: current.kid }, { alg: "HS256" }]) {
        const forged = await new SignJWT(claims).setProtectedHeader({ ...header, typ: "at+jwt" }).sign(new TextEncoder().encode(secret));
        expect(await verifyCode(forged)).toBe("TOKEN_INVALID");
      }
    }
  });

  it("refuses alg none, an unknown kid, a token without kid, and another key under a known kid", async () => {
    const { claims } = await forgeable();
    const [current] = (await t.auth.keys.jwks()).keys;
    if (!current) throw new Error("no current key");
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const none = `${encode({ alg: "none", typ: "at+jwt", kid: current.kid })}.${encode(claims)}.`;
    expect(await verifyCode(none)).toBe("TOKEN_INVALID");

    const attacker = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
    const sign = (header: Record<string, string>) =>
      new SignJWT(claims).setProtectedHeader({ alg: "ES256", typ: "at+jwt", ...header }).sign(attacker);
    expect(await verifyCode(await sign({ kid: "unknown-kid" }))).toBe("TOKEN_INVALID");
    expect(await verifyCode(await sign({}))).toBe("TOKEN_INVALID");
    expect(await verifyCode(await sign({ kid: current.kid }))).toBe("TOKEN_INVALID");
  });

  it("refuses a token whose alg differs from its key's, even with a valid signature for that alg", async () => {
    const { claims } = await forgeable();
    const [current] = (await t.auth.keys.jwks()).keys;
    if (!current) throw new Error("no current key");
    // An Ed25519 key's signature under the ES256 key's kid: the pinned algorithm decides.
    const ed = generateKeyPairSync("ed25519").privateKey;
    const forged = await new SignJWT(claims).setProtectedHeader({ alg: "EdDSA", typ: "at+jwt", kid: current.kid }).sign(ed);
    expect(await verifyCode(forged)).toBe("TOKEN_INVALID");
    // The same public key claimed as ES384.
    const es384 = await new SignJWT(claims)
      .setProtectedHeader({ alg: "ES384", typ: "at+jwt", kid: current.kid })
      .sign(generateKeyPairSync("ec", { namedCurve: "P-384" }).privateKey);
    expect(await verifyCode(es384)).toBe("TOKEN_INVALID");
  });
});

describe("rotation and retirement", () => {
  it("rotate: next signs, old tokens stay valid, and the old key verifies until its window ends", async () => {
    const before = await signedIn();
    const oldKid = headerOf(before.accessToken).kid;
    const next = (await t.auth.keys.list()).find((key) => key.state === "next");
    const listed = await t.auth.keys.rotate();
    const after = await signedIn();
    expect(headerOf(after.accessToken).kid).toBe(next?.kid);
    expect(await t.auth.checkBearerToken(before.accessToken)).toMatchObject(before.user);
    expect(await t.auth.checkBearerToken(after.accessToken)).toMatchObject(after.user);
    const previous = listed.find((key) => key.kid === oldKid);
    expect(previous?.state).toBe("previous");
    // Reload interval 10 s + TTL 3600 s + leeway 60 s.
    expect(previous?.verifiesUntil?.getTime()).toBe(t.clock.now().getTime() + 3670_000);
    expect((await t.auth.keys.jwks()).keys.map((key) => key.kid)).toEqual(expect.arrayContaining([oldKid, next?.kid]));
  });

  it("a previous key stops verifying TTL + leeway (+ reload interval) after it stopped signing", async () => {
    const start = t.clock.now();
    // An instance with a 2 h TTL signs with the same key: its token outlives the 1 h window.
    const longLived = await t.withOptions({ ttl: "2h" }).register({ email: email(), password: PASSWORD, name: "Long" });
    const kid = headerOf(longLived.accessToken).kid;
    await t.auth.keys.rotate();
    t.clock.advance(3670 - 1);
    expect(await t.auth.checkBearerToken(longLived.accessToken)).not.toBeNull();
    t.clock.advance(2);
    expect(await verifyCode(longLived.accessToken)).toBe("TOKEN_INVALID");
    expect((await t.auth.keys.jwks()).keys.map((key) => key.kid)).not.toContain(kid);
    // The next rotation marks it retired.
    const listed = await t.auth.keys.rotate();
    expect(listed.find((key) => key.kid === kid)?.state).toBe("retired");
    t.clock.set(start);
  });

  it("retire: refused at once here, and in another instance once the notification arrives", async () => {
    const other = t.withOptions({});
    const { accessToken } = await signedIn();
    const kid = headerOf(accessToken).kid ?? "";
    expect(await other.checkBearerToken(accessToken)).not.toBeNull(); // the other instance has the key and the token cached
    const next = (await t.auth.keys.list()).find((key) => key.state === "next");
    const notified = new Promise<void>((resolve) => {
      const stop = other.sessionCache.observe((event) => {
        if (event !== "notification") return;
        stop();
        resolve();
      });
    });

    const listed = await t.auth.keys.retire(kid);
    expect(listed.find((key) => key.kid === kid)?.state).toBe("retired");
    // Retiring the current key promotes next, so signing never stops.
    expect(listed.find((key) => key.state === "current")?.kid).toBe(next?.kid);
    expect(await verifyCode(accessToken)).toBe("TOKEN_INVALID");
    expect((await t.auth.keys.jwks()).keys.map((key) => key.kid)).not.toContain(kid);

    // Pushed by the signing_keys trigger: not left to the other instance's reload interval.
    await notified;
    expect(await codeOf(other.verifyBearerToken(accessToken))).toBe("TOKEN_INVALID");
    const fresh = await signedIn();
    expect(headerOf(fresh.accessToken).kid).toBe(next?.kid);
    expect(await other.checkBearerToken(fresh.accessToken)).toMatchObject(fresh.user);
  });

  it("another instance verifies a token of a key it has never seen (reload on unknown kid)", async () => {
    const other = t.withOptions({});
    await other.keys.jwks(); // warm: its copy has the current key and the next one
    await t.auth.keys.rotate();
    await t.auth.keys.rotate(); // the key now signing was created after the other instance loaded
    const { accessToken, user } = await signedIn();
    expect(await other.checkBearerToken(accessToken)).toMatchObject(user);
  });

  it("retire of an unknown kid is NOT_FOUND", async () => {
    expect(await codeOf(t.auth.keys.retire("no-such-kid"))).toBe("NOT_FOUND");
  });
});

describe.runIf(testBackend() === "postgres")("a reload racing a retirement (PostgreSQL)", () => {
  it("a reload that read the keys before the retirement committed cannot trust the key again", async () => {
    // Another process, whose queries go through a proxy that can hold a result back.
    const proxy = await startPgWireProxy(await databaseUrl(t.database));
    const database = await createDatabase({ url: proxy.url, maxConnections: 1 });
    const other = createAuth({ db: database.db, secret: TEST_SECRET, now: t.clock.now });
    try {
      await cacheListening(other);
      const { accessToken } = await signedIn();
      const kid = headerOf(accessToken).kid ?? "";
      // The other instance reads the published keys while `kid` is current; the result is held.
      const read = proxy.holdResult("in ($1, $2, $3)");
      const reading = other.keys.jwks();
      await read.executed;
      // The retirement commits and its notification reaches the other instance...
      const notified = nextCacheEvent(other, "notification");
      await t.auth.keys.retire(kid);
      await notified;
      // ...and only then does the read come back, with the key still in it.
      read.release();
      expect((await reading).keys.map((key) => key.kid)).not.toContain(kid);
      expect(await codeOf(other.verifyBearerToken(accessToken))).toBe("TOKEN_INVALID");
    } finally {
      await other.close();
      await database.close();
      await proxy.close();
    }
  });

  it("retire, on the instance whose own reload read the keys before it committed, is final there too", async () => {
    // Notifications swallowed: only `retire` itself can tell this instance its reload is stale.
    const proxy = await startPgWireProxy(await databaseUrl(t.database));
    proxy.swallowNotifications = true;
    const database = await createDatabase({ url: proxy.url, maxConnections: 2 });
    const other = createAuth({ db: database.db, secret: TEST_SECRET, now: t.clock.now });
    let unlock: () => void = () => {};
    const unlocked = new Promise<void>((resolve) => (unlock = resolve));
    try {
      const { accessToken } = await signedIn();
      const kid = headerOf(accessToken).kid ?? "";
      expect(await other.checkBearerToken(accessToken)).not.toBeNull();
      // The key-set lock, taken here, keeps the retirement from committing until released.
      let locked: () => void = () => {};
      const lockTaken = new Promise<void>((resolve) => (locked = resolve));
      const holder = t.database.db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${KEYS_LOCK_KEY})`);
        locked();
        await unlocked;
      });
      await lockTaken;
      const retiring = other.keys.retire(kid);
      // Meanwhile a reload on the same instance reads the keys, and its result is held.
      t.clock.advance(10);
      const read = proxy.holdResult("in ($1, $2, $3)");
      const reading = other.keys.jwks();
      await read.executed;
      unlock();
      await holder;
      const state = async () => (await t.auth.keys.list()).find((key) => key.kid === kid)?.state;
      await vi.waitFor(async () => expect(await state()).toBe("retired"), { timeout: 10_000 });
      read.release();
      await reading;
      expect((await retiring).find((key) => key.kid === kid)?.state).toBe("retired");
      expect(await codeOf(other.verifyBearerToken(accessToken))).toBe("TOKEN_INVALID");
    } finally {
      unlock();
      await other.close();
      await database.close();
      await proxy.close();
    }
  });
});

describe("the keys live in the database the instances share", () => {
  it("stores exactly one current and one next key", async () => {
    const rows = await t.database.db.execute(
      sql`select state, count(*)::int as n from bearer_kit.signing_keys where state in ('current', 'next') group by state order by state`,
    );
    const list = Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows;
    expect(list).toEqual([
      { state: "current", n: 1 },
      { state: "next", n: 1 },
    ]);
  });
});

describe("jose can import what we publish", () => {
  it("imports each published key for its alg", async () => {
    for (const key of (await t.auth.keys.jwks()).keys) await expect(importJWK(key, key.alg)).resolves.toBeDefined();
  });
});
