import { base64url, calculateJwkThumbprint, decodeProtectedHeader, EmbeddedJWK, jwtVerify } from "jose";
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createDPoPKeyPair, createDPoPProver } from "./client.ts";

const URL_WITH_SECRETS = "https://App.Example.com/api/trpc/auth.me?batch=1&input=%7B%7D#frag";

async function verified(proof: string) {
  return jwtVerify(proof, EmbeddedJWK, { typ: "dpop+jwt", algorithms: ["ES256"] });
}

describe("createDPoPKeyPair", () => {
  it("makes an ECDSA P-256 pair whose private key scripts cannot export", async () => {
    const { privateKey, publicKey } = await createDPoPKeyPair();
    expect(privateKey.extractable).toBe(false);
    expect(privateKey.algorithm).toEqual({ name: "ECDSA", namedCurve: "P-256" });
    expect(privateKey.usages).toEqual(["sign"]);
    await expect(crypto.subtle.exportKey("jwk", privateKey)).rejects.toThrow();
    expect(publicKey.type).toBe("public");
  });

  it("makes a new key each time", async () => {
    const [a, b] = await Promise.all([createDPoPKeyPair(), createDPoPKeyPair()]);
    expect(await createDPoPProver(a).jkt()).not.toBe(await createDPoPProver(b).jkt());
  });
});

describe("createDPoPProver", () => {
  it("signs a proof the embedded public key verifies, with htm, htu without query or fragment, iat and a jti", async () => {
    const prover = createDPoPProver(await createDPoPKeyPair());
    const before = Math.floor(Date.now() / 1000);

    const proof = await prover.proof({ method: "GET", url: URL_WITH_SECRETS });

    const { payload, protectedHeader } = await verified(proof);
    expect(protectedHeader.typ).toBe("dpop+jwt");
    expect(protectedHeader.alg).toBe("ES256");
    expect(payload.htm).toBe("GET");
    expect(payload.htu).toBe("https://app.example.com/api/trpc/auth.me");
    expect(payload.iat).toBeGreaterThanOrEqual(before);
    expect(payload.iat).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(payload).not.toHaveProperty("ath");
    expect(payload).not.toHaveProperty("nonce");
  });

  it("puts only the public key in the header, and jkt is its RFC 7638 thumbprint", async () => {
    const prover = createDPoPProver(await createDPoPKeyPair());
    const { jwk } = decodeProtectedHeader(await prover.proof({ method: "POST", url: "http://localhost:3000/api/trpc/auth.signin" }));
    expect(jwk && Object.keys(jwk).sort()).toEqual(["crv", "kty", "x", "y"]);
    expect(jwk?.kty).toBe("EC");
    expect(jwk?.crv).toBe("P-256");
    expect(await prover.jkt()).toBe(await calculateJwkThumbprint(jwk ?? {}, "sha256"));
    expect(await prover.jkt()).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("hashes the access token into ath (base64url SHA-256 of its ASCII) and carries the server's nonce", async () => {
    const prover = createDPoPProver(await createDPoPKeyPair());
    const accessToken = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln";

    const { payload } = await verified(await prover.proof({ method: "POST", url: "https://a.example/x", accessToken, nonce: "n-1" }));

    expect(payload.ath).toBe(base64url.encode(createHash("sha256").update(accessToken, "ascii").digest()));
    expect(payload.nonce).toBe("n-1");
  });

  it("gives every proof a new jti, so no two proofs are the same", async () => {
    const prover = createDPoPProver(await createDPoPKeyPair());
    const request = { method: "GET", url: "https://a.example/x" };
    const [a, b] = await Promise.all([prover.proof(request), prover.proof(request)]);
    expect((await verified(a)).payload.jti).not.toBe((await verified(b)).payload.jti);
  });

  it("refuses a URL that is not absolute", async () => {
    const prover = createDPoPProver(await createDPoPKeyPair());
    await expect(prover.proof({ method: "GET", url: "/api/trpc" })).rejects.toThrow(TypeError);
  });
});
