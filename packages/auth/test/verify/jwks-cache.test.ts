import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startJWKSServer, type TestJWKSServer } from "../../src/testing/jwks-server.ts";
import { createTestSigningKey, signTestAccessToken, type TestSigningKey } from "../../src/testing/test-signing-key.ts";
import { createVerifier, type Verifier, type VerifierOptions } from "../../src/verify/index.ts";
import { codeOf } from "../codes.ts";

// jose times its cache and cooldown with Date.now(); only Date is faked, so sockets and the
// fetch timeout still run on real timers. The token clock is pinned separately (`now`).
const START = new Date("2026-01-01T00:00:00Z");
const now = () => START;

let server: TestJWKSServer;
let current: TestSigningKey;
let next: TestSigningKey;

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(START);
  [current, next] = await Promise.all([createTestSigningKey("ES256"), createTestSigningKey("ES256")]);
  server = await startJWKSServer([current.publicJwk]);
});
afterEach(async () => {
  vi.useRealTimers();
  await server.close();
});

const verifierFor = (options: Partial<VerifierOptions> = {}): Verifier =>
  createVerifier({ jwksUrl: server.url, issuer: "bearer-kit", audience: "bearer-kit", now, ...options } as VerifierOptions);
const token = (key: TestSigningKey) => signTestAccessToken(key, { now: START });
const elapse = (seconds: number) => vi.setSystemTime(Date.now() + seconds * 1000);

describe("createVerifier: JWKS cache", () => {
  it("fetches the JWKS once and serves later verifications from the cache", async () => {
    const verifier = verifierFor();
    await Promise.all(Array.from({ length: 10 }, async () => verifier.verify(await token(current))));
    await verifier.verify(await token(current));
    expect(server.requests).toBe(1);
  });

  it("refetches on an unknown kid once the cooldown has passed, then not again during the cooldown", async () => {
    const verifier = verifierFor();
    await verifier.verify(await token(current));
    expect(server.requests).toBe(1);

    // Within the cooldown after a fetch, an unknown kid is refused without a request.
    expect(await codeOf(verifier.verify(await token(next)))).toBe("TOKEN_INVALID");
    expect(server.requests).toBe(1);

    elapse(31);
    expect(await codeOf(verifier.verify(await token(next)))).toBe("TOKEN_INVALID");
    expect(server.requests).toBe(2); // refetched once
    await Promise.all(Array.from({ length: 5 }, async () => codeOf(verifier.verify(await token(next)))));
    expect(server.requests).toBe(2); // cooldown: a stream of unknown kids makes no more requests
    await expect(verifier.verify(await token(current))).resolves.toMatchObject({ kid: current.kid });
  });

  it("picks up a key published after the cache was filled (rotation) on its first token", async () => {
    const verifier = verifierFor();
    await verifier.verify(await token(current));
    server.keys = [current.publicJwk, next.publicJwk];
    elapse(31);
    await expect(verifier.verify(await token(next))).resolves.toMatchObject({ kid: next.kid });
    expect(server.requests).toBe(2);
  });

  it("refuses a key removed from the JWKS (retired) once the cache is refetched", async () => {
    const verifier = verifierFor({ cacheMaxAge: "30s" });
    await verifier.verify(await token(current));
    server.keys = [next.publicJwk];
    // Still cached: stateless verifiers lag a retirement by up to cacheMaxAge.
    await expect(verifier.verify(await token(current))).resolves.toBeTruthy();
    elapse(31);
    expect(await codeOf(verifier.verify(await token(current)))).toBe("TOKEN_INVALID");
    expect(server.requests).toBe(2);
    await expect(verifier.verify(await token(next))).resolves.toMatchObject({ kid: next.kid });
  });

  it("answers JWKS_UNAVAILABLE, not a token verdict, when the JWKS answers an error", async () => {
    server.mode = "error";
    const verifier = verifierFor();
    expect(await codeOf(verifier.verify(await token(current)))).toBe("JWKS_UNAVAILABLE");
    server.mode = "ok";
    await expect(verifier.verify(await token(current))).resolves.toBeTruthy();
  });

  it("gives up on a JWKS that never answers after the timeout, with JWKS_UNAVAILABLE", async () => {
    server.mode = "hang";
    const verifier = verifierFor({ timeout: 1 });
    const started = performance.now();
    expect(await codeOf(verifier.verify(await token(current)))).toBe("JWKS_UNAVAILABLE");
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(900);
    expect(waited).toBeLessThan(3000);
  });

  it("answers JWKS_UNAVAILABLE when nothing listens at the JWKS URL", async () => {
    const url = server.url;
    await server.close();
    const verifier = createVerifier({ jwksUrl: url, issuer: "bearer-kit", audience: "bearer-kit", now });
    expect(await codeOf(verifier.verify(await token(current)))).toBe("JWKS_UNAVAILABLE");
    server = await startJWKSServer();
  });

  it("ignores private, HMAC and kid-less members of a published key set", async () => {
    const { kid: _kid, ...kidless } = next.publicJwk;
    server.keys = [
      { ...current.publicJwk, d: "leaked-private-part" },
      { kty: "oct", k: "c2VjcmV0", kid: "hmac", alg: "HS256" },
      kidless,
    ];
    const verifier = verifierFor();
    expect(await codeOf(verifier.verify(await token(current)))).toBe("TOKEN_INVALID");
    expect(await codeOf(verifier.verify(await token(next)))).toBe("TOKEN_INVALID");
  });
});
