import { generateKeyPairSync, randomUUID, sign } from "node:crypto";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { codeOf } from "../codes.ts";
import { email, PASSWORD, useAuth } from "../fixture.ts";
import { verifyDPoPProof } from "../../src/dpop/dpop-proof.ts";
import { createTestProver, REFRESH_URL, SIGNIN_URL, unsignedProof } from "./dpop-prover.ts";

const t = useAuth();
const WINDOW = 60;

describe("verifyDPoPProof", () => {
  const claims = () => ({ jti: randomUUID(), htm: "POST", htu: SIGNIN_URL, iat: Math.floor(t.clock.now().getTime() / 1000) });
  const expected = () => ({ htm: "POST", htu: SIGNIN_URL, now: t.clock.now(), window: WINDOW });

  it("accepts a good proof and gives its key's thumbprint; the URL compares normalized", async () => {
    const prover = await createTestProver(t.clock.now, "EdDSA");
    const { proof } = await prover.request({ url: "HTTP://LOCALHOST:3000/api/trpc/auth.signin" });
    await expect(verifyDPoPProof(proof, { ...expected(), htu: `${SIGNIN_URL}?batch=1` })).resolves.toMatchObject({ jkt: prover.jkt });
  });

  it("refuses alg none", async () => {
    const prover = await createTestProver(t.clock.now);
    expect(await codeOf(verifyDPoPProof(unsignedProof(claims(), prover.publicJwk), expected()))).toBe("DPOP_PROOF_INVALID");
  });

  it("refuses HS256, with the public key or an oct key in the header", async () => {
    const prover = await createTestProver(t.clock.now);
    const secret = new TextEncoder().encode("a shared secret of thirty-two bytes!");
    for (const jwk of [prover.publicJwk, { kty: "oct", k: Buffer.from(secret).toString("base64url") }]) {
      const proof = await new SignJWT(claims()).setProtectedHeader({ alg: "HS256", typ: "dpop+jwt", jwk } as never).sign(secret);
      expect(await codeOf(verifyDPoPProof(proof, expected()))).toBe("DPOP_PROOF_INVALID");
    }
  });

  it("refuses a jwk with its private part", async () => {
    const prover = await createTestProver(t.clock.now);
    const { proof } = await prover.request({ url: SIGNIN_URL, header: { jwk: prover.privateJwk } });
    expect(await codeOf(verifyDPoPProof(proof, expected()))).toBe("DPOP_PROOF_INVALID");
  });

  it("refuses another typ, a missing jti, and garbage", async () => {
    const prover = await createTestProver(t.clock.now);
    const { proof } = await prover.request({ url: SIGNIN_URL, header: { typ: "JWT" } });
    expect(await codeOf(verifyDPoPProof(proof, expected()))).toBe("DPOP_PROOF_INVALID");
    expect(await codeOf(verifyDPoPProof("not.a.jwt", expected()))).toBe("DPOP_PROOF_INVALID");
    expect(await codeOf(verifyDPoPProof("x".repeat(9000), expected()))).toBe("DPOP_PROOF_INVALID");
  });
});

describe("verifyDPoPProof: algorithms and headers", () => {
  const claims = () => ({ jti: randomUUID(), htm: "POST", htu: SIGNIN_URL, iat: Math.floor(t.clock.now().getTime() / 1000) });
  const expected = () => ({ htm: "POST", htu: SIGNIN_URL, now: t.clock.now(), window: WINDOW });
  async function proofWith(alg: string, header: Record<string, unknown> = {}) {
    const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
    const jwk = await exportJWK(publicKey);
    return new SignJWT(claims()).setProtectedHeader({ alg, typ: "dpop+jwt", jwk, ...header } as never).sign(privateKey);
  }

  it("accepts each allowed algorithm, and typ as a media type (any case, with application/)", async () => {
    for (const alg of ["ES256", "ES384", "EdDSA", "RS256", "PS256"]) {
      await expect(verifyDPoPProof(await proofWith(alg), expected())).resolves.toMatchObject({ jkt: expect.any(String) });
    }
    await expect(verifyDPoPProof(await proofWith("ES256", { typ: "application/DPoP+JWT" }), expected())).resolves.toBeDefined();
  });

  it("refuses a key of another kind than the alg says, and RSA under 2048 bits", async () => {
    const p384 = await generateKeyPair("ES384", { extractable: true });
    const p384Jwk = await exportJWK(p384.publicKey);
    // An ES256 header carrying a P-384 key, signed by that key (as ES384): refused before any verify.
    const mismatched = await new SignJWT(claims()).setProtectedHeader({ alg: "ES384", typ: "dpop+jwt", jwk: p384Jwk }).sign(p384.privateKey);
    const [, payload, signature] = mismatched.split(".");
    const relabelled = `${Buffer.from(JSON.stringify({ alg: "ES256", typ: "dpop+jwt", jwk: p384Jwk })).toString("base64url")}.${payload}.${signature}`;
    const error = await verifyDPoPProof(relabelled, expected()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "DPOP_PROOF_INVALID", message: expect.stringContaining("not a key for ES256") });
    // jose will not sign with a 1024-bit key, so node:crypto does.
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 });
    const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const input = `${part({ alg: "RS256", typ: "dpop+jwt", jwk: rsa.publicKey.export({ format: "jwk" }) })}.${part(claims())}`;
    const small = `${input}.${sign("sha256", Buffer.from(input), rsa.privateKey).toString("base64url")}`;
    const refused = await verifyDPoPProof(small, expected()).catch((caught: unknown) => caught);
    expect(refused).toMatchObject({ code: "DPOP_PROOF_INVALID", message: expect.stringContaining("2048") });
  });

  it("refuses a crit header, characters outside base64url, and a signature of another proof", async () => {
    expect(await codeOf(verifyDPoPProof(await proofWith("ES256", { crit: ["b64"], b64: true }), expected()))).toBe("DPOP_PROOF_INVALID");
    const good = await proofWith("ES256");
    expect(await codeOf(verifyDPoPProof(good.replace(".", ".!"), expected()))).toBe("DPOP_PROOF_INVALID");
    const other = await proofWith("ES256");
    const spliced = `${good.slice(0, good.lastIndexOf("."))}${other.slice(other.lastIndexOf("."))}`;
    expect(await codeOf(verifyDPoPProof(spliced, expected()))).toBe("DPOP_PROOF_INVALID");
  });
});

describe("AUTH_DPOP=required", () => {
  it("refuses a sign-in and a refresh without a proof (DPOP_REQUIRED), and binds those with one", async () => {
    const strict = t.withOptions({ dpop: { mode: "required" } });
    const address = email();
    expect(await codeOf(strict.register({ email: address, password: PASSWORD, name: "Ann" }))).toBe("DPOP_REQUIRED");
    const prover = await createTestProver(t.clock.now);
    const result = await strict.register({ email: address, password: PASSWORD, name: "Ann" }, { dpop: await prover.request({ url: SIGNIN_URL }) });
    expect(result.tokenType).toBe("DPoP");
    expect(await codeOf(strict.signin({ email: address, password: PASSWORD }))).toBe("DPOP_REQUIRED");
    expect(await codeOf(strict.refresh(result.refreshToken))).toBe("DPOP_REQUIRED");
    await expect(strict.refresh(result.refreshToken, { dpop: await prover.request({ url: REFRESH_URL }) })).resolves.toMatchObject({ tokenType: "DPoP" });
  });
});

describe("AUTH_DPOP=off", () => {
  it("ignores proofs: Bearer tokens even with one", async () => {
    const off = t.withOptions({ dpop: { mode: "off" } });
    const prover = await createTestProver(t.clock.now);
    const result = await off.register({ email: email(), password: PASSWORD, name: "Bo" }, { dpop: await prover.request({ url: SIGNIN_URL }) });
    expect(result.tokenType).toBe("Bearer");
    expect(await off.checkBearerToken(result.accessToken)).not.toBeNull();
  });
});

describe("AUTH_DPOP_NONCE=true", () => {
  it("asks for a nonce (DPOP_NONCE_REQUIRED), accepts the one it handed out, refuses a stale one", async () => {
    const nonced = t.withOptions({ dpop: { nonce: true } });
    const prover = await createTestProver(t.clock.now);
    const input = { email: email(), password: PASSWORD, name: "Cy" };
    expect(await codeOf(nonced.register(input, { dpop: await prover.request({ url: SIGNIN_URL }) }))).toBe("DPOP_NONCE_REQUIRED");
    const nonce = nonced.dpopNonce();
    expect(nonce).toEqual(expect.any(String));
    const result = await nonced.register(input, { dpop: await prover.request({ url: SIGNIN_URL, nonce: nonce ?? "" }) });
    expect(result.tokenType).toBe("DPoP");
    // Issued in one 5-minute step, accepted through the next, refused after.
    t.clock.advance(601);
    expect(await codeOf(nonced.refresh(result.refreshToken, { dpop: await prover.request({ url: REFRESH_URL, nonce: nonce ?? "" }) }))).toBe("DPOP_NONCE_REQUIRED");
    expect(await codeOf(nonced.refresh(result.refreshToken, { dpop: await prover.request({ url: REFRESH_URL, nonce: "forged" }) }))).toBe("DPOP_NONCE_REQUIRED");
    await expect(nonced.refresh(result.refreshToken, { dpop: await prover.request({ url: REFRESH_URL, nonce: nonced.dpopNonce() ?? "" }) })).resolves.toMatchObject({
      tokenType: "DPoP",
    });
  });
});
