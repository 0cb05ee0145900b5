import { randomUUID } from "node:crypto";
import { base64url, exportJWK, importJWK, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestClock } from "../../src/testing/test-clock.ts";
import { startJWKSServer, type TestJWKSServer } from "../../src/testing/jwks-server.ts";
import { createTestSigningKey, signTestAccessToken, type TestSigningKey } from "../../src/testing/test-signing-key.ts";
import { createVerifier, type Verifier } from "../../src/verify/index.ts";
import { codeOf } from "../codes.ts";

const clock = createTestClock();
let server: TestJWKSServer;
let es256: TestSigningKey;
let eddsa: TestSigningKey;
let rs256: TestSigningKey;
let verifier: Verifier;

beforeAll(async () => {
  [es256, eddsa, rs256] = await Promise.all([
    createTestSigningKey("ES256"),
    createTestSigningKey("EdDSA"),
    createTestSigningKey("RS256"),
  ]);
  server = await startJWKSServer([es256.publicJwk, eddsa.publicJwk, rs256.publicJwk]);
  verifier = createVerifier({ jwksUrl: server.url, issuer: "bearer-kit", audience: "bearer-kit", now: clock.now });
});
afterAll(() => server.close());

const sign = (key: TestSigningKey, options: Parameters<typeof signTestAccessToken>[1] = {}) =>
  signTestAccessToken(key, { now: clock.now(), ...options });

/** A compact JWS with the given header and claims, signed (HMAC) with `secret`'s bytes. */
async function hmacToken(secret: string, header: Record<string, unknown>): Promise<string> {
  const iat = Math.floor(clock.now().getTime() / 1000);
  return new SignJWT({ sub: randomUUID(), sid: randomUUID(), jti: randomUUID() })
    .setProtectedHeader({ alg: "HS256", typ: "at+jwt", ...header })
    .setIssuer("bearer-kit")
    .setAudience("bearer-kit")
    .setIssuedAt(iat)
    .setExpirationTime(iat + 900)
    .sign(new TextEncoder().encode(secret));
}

describe("createVerifier: valid tokens", () => {
  it("returns the claims of a valid ES256, EdDSA and RS256 token, picking each key by kid", async () => {
    for (const key of [es256, eddsa, rs256]) {
      const sub = randomUUID();
      const claims = await verifier.verify(await sign(key, { claims: { sub } }));
      expect(claims).toMatchObject({ sub, iss: "bearer-kit", aud: "bearer-kit", kid: key.kid, alg: key.alg });
      expect(claims.exp - claims.iat).toBe(900);
      expect(typeof claims.sid).toBe("string");
      expect(typeof claims.jti).toBe("string");
    }
  });

  it("reads amr (RFC 8176), [] when the token has none, and refuses a malformed one", async () => {
    const twoFactor = await verifier.verify(await sign(es256, { claims: { amr: ["pwd", "otp", "mfa"] } }));
    expect(twoFactor.amr).toEqual(["pwd", "otp", "mfa"]);
    expect((await verifier.verify(await sign(es256))).amr).toEqual([]);
    expect(await codeOf(verifier.verify(await sign(es256, { claims: { amr: "mfa" } })))).toBe("TOKEN_INVALID");
    expect(await codeOf(verifier.verify(await sign(es256, { claims: { amr: ["pwd", 1] } })))).toBe("TOKEN_INVALID");
  });

  it("verifies from a key set held in hand (`jwks`), without any fetch", async () => {
    const local = createVerifier({ jwks: { keys: [es256.publicJwk] }, issuer: "bearer-kit", audience: "bearer-kit", now: clock.now });
    await expect(local.verify(await sign(es256))).resolves.toMatchObject({ kid: es256.kid });
    expect(await codeOf(local.verify(await sign(eddsa)))).toBe("TOKEN_INVALID");
  });
});

describe("createVerifier: time", () => {
  it("accepts a token 30 s past exp (leeway 60 s) and refuses it at 61 s with TOKEN_EXPIRED", async () => {
    const issued = clock.now();
    const token = await sign(es256, { ttl: 60 });
    const late = (seconds: number) =>
      createVerifier({
        jwksUrl: server.url,
        issuer: "bearer-kit",
        audience: "bearer-kit",
        now: () => new Date(issued.getTime() + seconds * 1000),
      });
    await expect(late(90).verify(token)).resolves.toMatchObject({ kid: es256.kid });
    expect(await codeOf(late(121).verify(token))).toBe("TOKEN_EXPIRED");
  });

  it("refuses a token issued in the future beyond the leeway", async () => {
    const ahead = new Date(clock.now().getTime() + 120_000);
    // nbf left out: jose's own nbf check would catch it first, and a forger need not set one.
    const token = await sign(es256, { now: ahead, claims: { nbf: undefined } });
    expect(await codeOf(verifier.verify(token))).toBe("TOKEN_INVALID");
    const slightly = await sign(es256, { now: new Date(clock.now().getTime() + 30_000), claims: { nbf: undefined } });
    await expect(verifier.verify(slightly)).resolves.toBeTruthy();
  });
});

describe("createVerifier: refusals", () => {
  it.each([
    ["a wrong issuer", { claims: { iss: "someone-else" } }],
    ["a wrong audience", { claims: { aud: "another-api" } }],
    ["no typ at+jwt (e.g. an ID token)", { header: { typ: "JWT" } }],
    ["no sid", { claims: { sid: undefined } }],
    ["no jti", { claims: { jti: undefined } }],
    ["no sub", { claims: { sub: undefined } }],
    ["no iat", { claims: { iat: undefined } }],
    ["no exp", { claims: { exp: undefined } }],
    ["a numeric sub", { claims: { sub: 42 } }],
    ["no kid", { header: { kid: undefined } }],
  ])("refuses %s with TOKEN_INVALID", async (_, options) => {
    expect(await codeOf(verifier.verify(await sign(es256, options)))).toBe("TOKEN_INVALID");
  });

  it("refuses an HS256 token whose secret is the public key's PEM or JWK JSON (key confusion)", async () => {
    for (const key of [es256, rs256]) {
      for (const secret of [key.publicPem, JSON.stringify(key.publicJwk)]) {
        const token = await hmacToken(secret, { kid: key.kid });
        expect(await codeOf(verifier.verify(token))).toBe("TOKEN_INVALID");
      }
    }
  });

  it("refuses alg none", async () => {
    const iat = Math.floor(clock.now().getTime() / 1000);
    const encode = (value: object) => base64url.encode(JSON.stringify(value));
    const header = encode({ alg: "none", typ: "at+jwt", kid: es256.kid });
    const claims = encode({ sub: randomUUID(), sid: randomUUID(), jti: randomUUID(), iss: "bearer-kit", aud: "bearer-kit", iat, exp: iat + 900 });
    expect(await codeOf(verifier.verify(`${header}.${claims}.`))).toBe("TOKEN_INVALID");
  });

  it("refuses a token whose alg differs from its key's, even where the signature checks out", async () => {
    // The RSA key published as RS256 signs a PS256 token: same key, another algorithm.
    const pss = await importJWK(await exportJWK(rs256.privateKey), "PS256");
    const iat = Math.floor(clock.now().getTime() / 1000);
    const token = await new SignJWT({ sub: randomUUID(), sid: randomUUID(), jti: randomUUID() })
      .setProtectedHeader({ alg: "PS256", typ: "at+jwt", kid: rs256.kid })
      .setIssuer("bearer-kit")
      .setAudience("bearer-kit")
      .setIssuedAt(iat)
      .setExpirationTime(iat + 900)
      .sign(pss);
    expect(await codeOf(verifier.verify(token))).toBe("TOKEN_INVALID");

    // The key's own alg decides, not its type: the ES256 key published as EdDSA verifies nothing.
    const mislabelled = { ...es256.publicJwk, alg: "EdDSA" };
    const strict = createVerifier({ jwks: { keys: [mislabelled] }, issuer: "bearer-kit", audience: "bearer-kit", now: clock.now });
    expect(await codeOf(strict.verify(await sign(es256)))).toBe("TOKEN_INVALID");

    // An ES256 token claiming the EdDSA key's kid, and an EdDSA one claiming the ES256 key's.
    expect(await codeOf(verifier.verify(await sign(es256, { header: { kid: eddsa.kid } })))).toBe("TOKEN_INVALID");
    expect(await codeOf(verifier.verify(await sign(eddsa, { header: { kid: es256.kid } })))).toBe("TOKEN_INVALID");
  });

  it("does not trust a published key that names no alg, or an algorithm outside the allowlist", async () => {
    const { alg: _alg, ...noAlg } = es256.publicJwk;
    const noAlgVerifier = createVerifier({ jwks: { keys: [noAlg] }, issuer: "bearer-kit", audience: "bearer-kit", now: clock.now });
    expect(await codeOf(noAlgVerifier.verify(await sign(es256)))).toBe("TOKEN_INVALID");

    const esOnly = createVerifier({
      jwks: { keys: [es256.publicJwk, eddsa.publicJwk] },
      issuer: "bearer-kit",
      audience: "bearer-kit",
      algorithms: ["ES256"],
      now: clock.now,
    });
    await expect(esOnly.verify(await sign(es256))).resolves.toBeTruthy();
    expect(await codeOf(esOnly.verify(await sign(eddsa)))).toBe("TOKEN_INVALID");
  });

  it("refuses a signature by a key that is not in the JWKS, and tampered or malformed tokens", async () => {
    const stranger = await createTestSigningKey("ES256");
    expect(await codeOf(verifier.verify(await sign(stranger, { header: { kid: es256.kid } })))).toBe("TOKEN_INVALID");
    const token = await sign(es256);
    const [header, payload, signature] = token.split(".");
    const forged = base64url.encode(JSON.stringify({ ...JSON.parse(new TextDecoder().decode(base64url.decode(payload ?? ""))), sub: randomUUID() }));
    expect(await codeOf(verifier.verify(`${header}.${forged}.${signature}`))).toBe("TOKEN_INVALID");
    for (const junk of ["", "a.b.c", "not a token", "x".repeat(5000), `${token}.extra`]) {
      expect(await codeOf(verifier.verify(junk))).toBe("TOKEN_INVALID");
    }
  });
});

describe("createVerifier: errors", () => {
  it("throws the package's AuthError, recognised through the main entry too", async () => {
    const { AuthError } = await import("../../src/index.ts");
    const error = await verifier.verify("a.b.c").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ code: "TOKEN_INVALID", message: "The access token is invalid." });
  });
});

describe("createVerifier: options", () => {
  const base = { jwksUrl: "https://issuer.example/.well-known/jwks.json", issuer: "bearer-kit", audience: "bearer-kit" };
  it.each([
    ["an HMAC algorithm", { ...base, algorithms: ["HS256"] }, /algorithms/],
    ["alg none", { ...base, algorithms: ["none"] }, /algorithms/],
    ["no algorithm at all", { ...base, algorithms: [] }, /algorithms/],
    ["a relative JWKS URL", { ...base, jwksUrl: "/jwks.json" }, /jwksUrl/],
    ["a non-http JWKS URL", { ...base, jwksUrl: "file:///etc/jwks.json" }, /jwksUrl/],
    ["an empty issuer", { ...base, issuer: "" }, /issuer/],
    ["a leeway over 5 minutes", { ...base, leeway: "10m" }, /leeway.*at most 5 minutes/],
    ["a cooldown of 0", { ...base, cooldown: 0 }, /cooldown/],
  ])("refuses %s with a TypeError naming the option", (_, options, message) => {
    expect(() => createVerifier(options as never)).toThrow(TypeError);
    expect(() => createVerifier(options as never)).toThrow(message);
  });
});
