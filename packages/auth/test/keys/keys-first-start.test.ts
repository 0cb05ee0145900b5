import { generateKeyPairSync } from "node:crypto";
import { calculateJwkThumbprint, decodeProtectedHeader, type JWK } from "jose";
import { describe, expect, it } from "vitest";
import { createAuth } from "../../src/create-auth.ts";
import { signingKeys } from "../../src/database/schema.ts";
import { TEST_SECRET } from "../../src/testing/index.ts";
import { codeOf } from "../codes.ts";
import { email, PASSWORD, useAuth } from "../fixture.ts";

const t = useAuth();

describe("first start", () => {
  it("several instances starting at once create exactly one current key and one next", async () => {
    await t.database.db.delete(signingKeys);
    // Separate services, each with its own key set, racing on separate pooled connections.
    const instances = Array.from({ length: 8 }, () => t.withOptions({}));
    const sets = await Promise.all(instances.map((auth) => auth.keys.jwks()));
    const rows = await t.database.db.select().from(signingKeys);
    expect(rows.map((row) => row.state).sort()).toEqual(["current", "next"]);
    const current = rows.find((row) => row.state === "current");
    for (const set of sets) expect(set.keys[0]?.kid).toBe(current?.kid);
  });
});

describe("other algorithms", () => {
  it.each(["EdDSA", "RS256"] as const)("%s: a change of algorithm takes over at the next rotation and round-trips", async (alg) => {
    const auth = t.withOptions({ algorithm: alg });
    const before = await auth.register({ email: email(), password: PASSWORD, name: "Ann" });
    const next = (await auth.keys.list()).find((key) => key.state === "next");
    expect(next?.alg).toBe(alg); // replaced at start: the old `next` never signed
    await auth.keys.rotate();
    const { accessToken, user } = await auth.register({ email: email(), password: PASSWORD, name: "Bo" });
    expect(decodeProtectedHeader(accessToken)).toMatchObject({ alg, kid: next?.kid });
    expect(await auth.checkBearerToken(accessToken)).toMatchObject(user);
    expect(await auth.checkBearerToken(before.accessToken)).toMatchObject(before.user);
    const published = (await auth.keys.jwks()).keys.find((key) => key.kid === next?.kid);
    expect(published?.alg).toBe(alg);
    expect(Object.keys(published ?? {})).not.toContain("d");
  });
});

describe("AUTH_PRIVATE_KEY", () => {
  it("signs with the given key, publishes only it, and leaves the database key set alone", async () => {
    const pem = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    const auth = t.withOptions({ privateKey: pem });
    const rowsBefore = await t.database.db.select().from(signingKeys);
    const { accessToken, user } = await auth.register({ email: email(), password: PASSWORD, name: "Ann" });
    const jwks = await auth.keys.jwks();
    expect(jwks.keys).toHaveLength(1);
    const [key] = jwks.keys;
    expect(key?.kid).toBe(await calculateJwkThumbprint({ kty: key?.kty, crv: key?.crv, x: key?.x, y: key?.y } as JWK));
    expect(decodeProtectedHeader(accessToken)).toMatchObject({ alg: "ES256", kid: key?.kid });
    expect(await auth.checkBearerToken(accessToken)).toMatchObject(user);
    expect(await t.database.db.select().from(signingKeys)).toEqual(rowsBefore);
    await expect(auth.keys.rotate()).rejects.toThrow(/managed outside/);
    // The database set's tokens are not trusted by it, nor its tokens by the database set.
    expect(await codeOf(t.auth.verifyBearerToken(accessToken))).toBe("TOKEN_INVALID");
    const { accessToken: fromSet } = await t.auth.register({ email: email(), password: PASSWORD, name: "Cy" });
    expect(await codeOf(auth.verifyBearerToken(fromSet))).toBe("TOKEN_INVALID");
  });

  it("accepts a JWK in JSON as well as PEM", async () => {
    const jwk = generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" });
    const auth = createAuth({ db: t.database.db, secret: TEST_SECRET, algorithm: "EdDSA", privateKey: JSON.stringify(jwk), now: t.clock.now });
    const { accessToken, user } = await auth.register({ email: email(), password: PASSWORD, name: "Ed" });
    expect(decodeProtectedHeader(accessToken).alg).toBe("EdDSA");
    expect(await auth.checkBearerToken(accessToken)).toMatchObject(user);
  });
});

describe("HS256, the shared-secret mode", () => {
  it("publishes no key at all and refuses key operations", async () => {
    const auth = t.withOptions({ algorithm: "HS256" });
    const { accessToken, user } = await auth.register({ email: email(), password: PASSWORD, name: "Hs" });
    expect(decodeProtectedHeader(accessToken)).toEqual({ alg: "HS256", typ: "at+jwt" });
    expect(await auth.checkBearerToken(accessToken)).toMatchObject(user);
    expect(await auth.keys.jwks()).toEqual({ keys: [] });
    await expect(auth.keys.rotate()).rejects.toThrow(/signs with AUTH_SECRET/);
    // An ES256 instance over the same database does not accept an HS256 token, nor the reverse.
    expect(await codeOf(t.auth.verifyBearerToken(accessToken))).toBe("TOKEN_INVALID");
  });
});
