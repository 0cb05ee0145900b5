import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestClock } from "../../src/testing/test-clock.ts";
import { createTestDPoPProver, type TestDPoPProver, testAccessTokenHash, unsignedTestProof } from "../../src/testing/test-dpop-prover.ts";
import { createTestSigningKey, signTestAccessToken, type TestSigningKey } from "../../src/testing/test-signing-key.ts";
import { createVerifier, type Verifier, type VerifierOptions } from "../../src/verify/index.ts";
import { codeOf } from "../codes.ts";

const URL_ = "https://notes.example/notes";
const clock = createTestClock();
let issuer: TestSigningKey;
let alice: TestDPoPProver;
let mallory: TestDPoPProver;

const verifierWith = (options: Partial<VerifierOptions> = {}): Verifier =>
  createVerifier({ jwks: { keys: [issuer.publicJwk] }, issuer: "bearer-kit", audience: "bearer-kit", now: clock.now, ...options } as VerifierOptions);
const bound = (prover: TestDPoPProver, claims: Record<string, unknown> = {}) =>
  signTestAccessToken(issuer, { now: clock.now(), claims: { cnf: { jkt: prover.jkt }, ...claims } });
const dpop = (proof: string, method = "GET", url = URL_) => ({ scheme: "DPoP" as const, dpop: { proof, method, url } });

beforeAll(async () => {
  [issuer, alice, mallory] = await Promise.all([createTestSigningKey("ES256"), createTestDPoPProver(clock.now), createTestDPoPProver(clock.now)]);
});

describe("createVerifier: DPoP-bound tokens", () => {
  it("accepts a bound token with a fresh proof of its key, and returns cnf.jkt", async () => {
    const verifier = verifierWith();
    const token = await bound(alice);
    const claims = await verifier.verify(token, dpop(await alice.proof({ url: URL_, accessToken: token })));
    expect(claims.cnf).toEqual({ jkt: alice.jkt });
    // The scheme defaults to DPoP when a proof is given; the URL is compared normalized, without query.
    const proof = await alice.proof({ url: "HTTPS://Notes.Example:443/notes?page=2", accessToken: token });
    await expect(verifier.verify(token, { dpop: { proof, method: "get", url: `${URL_}?x=1#y` } })).resolves.toMatchObject({ cnf: { jkt: alice.jkt } });
    // An EdDSA client key works the same.
    const ed = await createTestDPoPProver(clock.now, "EdDSA");
    const edToken = await bound(ed);
    await expect(verifier.verify(edToken, dpop(await ed.proof({ url: URL_, accessToken: edToken })))).resolves.toBeTruthy();
  });

  it("leaves unbound tokens as they were: Bearer by default, no cnf", async () => {
    const claims = await verifierWith().verify(await signTestAccessToken(issuer, { now: clock.now() }));
    expect(claims.cnf).toBeUndefined();
  });

  it("refuses a stolen bound token sent as Bearer, or without a proof", async () => {
    const verifier = verifierWith();
    const token = await bound(alice);
    expect(await codeOf(verifier.verify(token))).toBe("TOKEN_INVALID");
    expect(await codeOf(verifier.verify(token, { scheme: "Bearer" }))).toBe("TOKEN_INVALID");
    const proof = await alice.proof({ url: URL_, accessToken: token });
    expect(await codeOf(verifier.verify(token, { scheme: "Bearer", dpop: { proof, method: "GET", url: URL_ } }))).toBe("TOKEN_INVALID");
    expect(await codeOf(verifier.verify(token, { scheme: "DPoP" }))).toBe("DPOP_PROOF_INVALID");
  });

  it("refuses an unbound token sent with the DPoP scheme", async () => {
    const token = await signTestAccessToken(issuer, { now: clock.now() });
    expect(await codeOf(verifierWith().verify(token, dpop(await alice.proof({ url: URL_, accessToken: token }))))).toBe("TOKEN_INVALID");
  });

  it("refuses a cnf it cannot check rather than reading the token as unbound", async () => {
    for (const cnf of [{ "x5t#S256": "abc" }, { jkt: "" }, "jkt", null]) {
      const token = await signTestAccessToken(issuer, { now: clock.now(), claims: { cnf } });
      expect(await codeOf(verifierWith().verify(token))).toBe("TOKEN_INVALID");
    }
  });

  it("refuses the token with a proof from another key", async () => {
    const token = await bound(alice);
    expect(await codeOf(verifierWith().verify(token, dpop(await mallory.proof({ url: URL_, accessToken: token }))))).toBe("DPOP_PROOF_INVALID");
  });

  it("refuses a proof naming the token's key but signed by another, after that key was seen", async () => {
    const verifier = verifierWith();
    const token = await bound(alice);
    await verifier.verify(token, dpop(await alice.proof({ url: URL_, accessToken: token })));
    const forged = await mallory.proof({ url: URL_, accessToken: token, header: { jwk: alice.publicJwk } });
    expect(await codeOf(verifier.verify(token, dpop(forged)))).toBe("DPOP_PROOF_INVALID");
  });

  it("refuses a replayed proof (same jti), even one signed again", async () => {
    const verifier = verifierWith();
    const token = await bound(alice);
    const proof = await alice.proof({ url: URL_, accessToken: token });
    await verifier.verify(token, dpop(proof));
    expect(await codeOf(verifier.verify(token, dpop(proof)))).toBe("DPOP_PROOF_INVALID");
    const jti = randomUUID();
    await verifier.verify(token, dpop(await alice.proof({ url: URL_, accessToken: token, jti })));
    expect(await codeOf(verifier.verify(token, dpop(await alice.proof({ url: URL_, accessToken: token, jti }))))).toBe("DPOP_PROOF_INVALID");
  });

  it("refuses a proof for another method or URL", async () => {
    const verifier = verifierWith();
    const token = await bound(alice);
    const cases = [
      { method: "POST", url: URL_ },
      { method: "GET", url: "https://notes.example/other" },
      { method: "GET", url: "https://evil.example/notes" },
      { method: "GET", url: "http://notes.example/notes" },
      { method: "GET", url: "not a url" },
    ];
    for (const { method, url } of cases) {
      const proof = await alice.proof({ method, url, accessToken: token });
      expect(await codeOf(verifier.verify(token, dpop(proof)))).toBe("DPOP_PROOF_INVALID");
    }
  });

  it("refuses a proof whose iat is outside the window (default 60 s), either way", async () => {
    const verifier = verifierWith();
    const token = await bound(alice);
    const now = Math.floor(clock.now().getTime() / 1000);
    await expect(verifier.verify(token, dpop(await alice.proof({ url: URL_, accessToken: token, iat: now - 60 })))).resolves.toBeTruthy();
    for (const iat of [now - 61, now + 61]) {
      expect(await codeOf(verifier.verify(token, dpop(await alice.proof({ url: URL_, accessToken: token, iat }))))).toBe("DPOP_PROOF_INVALID");
    }
    const narrow = verifierWith({ dpop: { proofWindow: "10s" } });
    expect(await codeOf(narrow.verify(token, dpop(await alice.proof({ url: URL_, accessToken: token, iat: now - 11 }))))).toBe("DPOP_PROOF_INVALID");
  });

  it("refuses a proof without ath, or with another token's", async () => {
    const verifier = verifierWith();
    const token = await bound(alice);
    expect(await codeOf(verifier.verify(token, dpop(await alice.proof({ url: URL_, accessToken: token, omitAth: true }))))).toBe("DPOP_PROOF_INVALID");
    const other = await bound(alice);
    expect(await codeOf(verifier.verify(token, dpop(await alice.proof({ url: URL_, accessToken: other }))))).toBe("DPOP_PROOF_INVALID");
  });

  it("refuses alg none, HS256, a private jwk in the header, and another typ", async () => {
    const verifier = verifierWith();
    const token = await bound(alice);
    const iat = Math.floor(clock.now().getTime() / 1000);
    const claims = { jti: randomUUID(), htm: "GET", htu: URL_, iat, ath: testAccessTokenHash(token) };
    expect(await codeOf(verifier.verify(token, dpop(unsignedTestProof(claims, alice.publicJwk))))).toBe("DPOP_PROOF_INVALID");

    // HS256 with an oct jwk whose thumbprint a forger could put in a token of its own.
    const secret = new TextEncoder().encode("a-shared-secret-that-proves-nothing!");
    const octJwk = { kty: "oct", k: Buffer.from(secret).toString("base64url") };
    const hs = await new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "dpop+jwt", jwk: octJwk } as never).sign(secret);
    expect(await codeOf(verifier.verify(token, dpop(hs)))).toBe("DPOP_PROOF_INVALID");

    const leaked = await alice.proof({ url: URL_, accessToken: token, header: { jwk: alice.privateJwk } });
    expect(await codeOf(verifier.verify(token, dpop(leaked)))).toBe("DPOP_PROOF_INVALID");

    const jwt = await alice.proof({ url: URL_, accessToken: token, header: { typ: "JWT" } });
    expect(await codeOf(verifier.verify(token, dpop(jwt)))).toBe("DPOP_PROOF_INVALID");

    for (const junk of ["", "a.b.c", "x".repeat(9000), token]) {
      expect(await codeOf(verifier.verify(token, dpop(junk)))).toBe("DPOP_PROOF_INVALID");
    }
  });

  it("checks the token before the proof: an expired bound token is TOKEN_EXPIRED", async () => {
    const token = await signTestAccessToken(issuer, { now: new Date(clock.now().getTime() - 3600_000), claims: { cnf: { jkt: alice.jkt } } });
    expect(await codeOf(verifierWith().verify(token, dpop(await alice.proof({ url: URL_, accessToken: token }))))).toBe("TOKEN_EXPIRED");
  });
});

describe("createVerifier: DPoP nonces", () => {
  it("under requireNonce, asks for a nonce (DPOP_NONCE_REQUIRED), then accepts the one it handed out", async () => {
    const verifier = verifierWith({ dpop: { requireNonce: true } });
    const token = await bound(alice);
    expect(await codeOf(verifier.verify(token, dpop(await alice.proof({ url: URL_, accessToken: token }))))).toBe("DPOP_NONCE_REQUIRED");
    expect(await codeOf(verifier.verify(token, dpop(await alice.proof({ url: URL_, accessToken: token, nonce: "made-up" }))))).toBe("DPOP_NONCE_REQUIRED");
    const nonce = await verifier.dpopNonce();
    expect(nonce).toMatch(/^[\w-]{50,}$/);
    await expect(verifier.verify(token, dpop(await alice.proof({ url: URL_, accessToken: token, nonce })))).resolves.toBeTruthy();
  });

  it("accepts a nonce through the next 5-minute step, refuses it after, and refuses another verifier's", async () => {
    const start = clock.now();
    try {
      clock.set(new Date(Math.floor(start.getTime() / 300_000) * 300_000));
      const verifier = verifierWith({ dpop: { requireNonce: true } });
      const nonce = await verifier.dpopNonce();
      clock.advance(599);
      let token = await bound(alice);
      await expect(verifier.verify(token, dpop(await alice.proof({ url: URL_, accessToken: token, nonce })))).resolves.toBeTruthy();
      expect(await verifier.dpopNonce()).not.toBe(nonce);
      clock.advance(1);
      token = await bound(alice);
      expect(await codeOf(verifier.verify(token, dpop(await alice.proof({ url: URL_, accessToken: token, nonce }))))).toBe("DPOP_NONCE_REQUIRED");
      const stranger = await verifierWith({ dpop: { requireNonce: true } }).dpopNonce();
      expect(await codeOf(verifier.verify(token, dpop(await alice.proof({ url: URL_, accessToken: token, nonce: stranger }))))).toBe("DPOP_NONCE_REQUIRED");
    } finally {
      clock.set(start);
    }
  });

  it("checks the proof before asking for a nonce: a bad proof is DPOP_PROOF_INVALID", async () => {
    const verifier = verifierWith({ dpop: { requireNonce: true } });
    const token = await bound(alice);
    expect(await codeOf(verifier.verify(token, dpop(await mallory.proof({ url: URL_, accessToken: token }))))).toBe("DPOP_PROOF_INVALID");
  });
});

describe("createVerifier: dpop options", () => {
  const base = { jwksUrl: "https://issuer.example/.well-known/jwks.json", issuer: "bearer-kit", audience: "bearer-kit" };
  it.each([
    ["a proof window under 10 s", { dpop: { proofWindow: 5 } }, /dpop\.proofWindow/],
    ["a proof window over 5 minutes", { dpop: { proofWindow: "10m" } }, /dpop\.proofWindow/],
    ["no room for proofs", { dpop: { maxProofs: 0 } }, /dpop\.maxProofs/],
    ["a non-boolean requireNonce", { dpop: { requireNonce: "yes" } }, /dpop\.requireNonce/],
  ])("refuses %s with a TypeError naming the option", (_, options, message) => {
    expect(() => createVerifier({ ...base, ...options } as VerifierOptions)).toThrow(message);
  });
});
