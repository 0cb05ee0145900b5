import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { codeOf } from "../codes.ts";
import { email, PASSWORD, useAuth } from "../fixture.ts";
import { createTestProver, ME_URL, REFRESH_URL, SIGNIN_URL } from "./dpop-prover.ts";

const t = useAuth();

async function boundSignin() {
  const prover = await createTestProver(t.clock.now);
  const address = email();
  await t.auth.register({ email: address, password: PASSWORD, name: "Ann" });
  const result = await t.auth.signin({ email: address, password: PASSWORD }, { dpop: await prover.request({ url: SIGNIN_URL }) });
  return { prover, result };
}

describe("DPoP binding (optional mode, the default)", () => {
  it("binds a sign-in that sends a proof: tokenType DPoP, cnf.jkt, the session's thumbprint", async () => {
    const { prover, result } = await boundSignin();
    expect(result.tokenType).toBe("DPoP");
    expect(result.session.dpopJkt).toBe(prover.jkt);
    expect(decodeJwt(result.accessToken).cnf).toEqual({ jkt: prover.jkt });
  });

  it("uses a bound token with a fresh proof carrying ath, and refreshes with the same key", async () => {
    const { prover, result } = await boundSignin();
    const dpop = await prover.request({ method: "GET", url: ME_URL, accessToken: result.accessToken });
    await expect(t.auth.verifyBearerToken(result.accessToken, { scheme: "DPoP", dpop })).resolves.toMatchObject({ user: { id: result.user.id } });
    const refreshed = await t.auth.refresh(result.refreshToken, { dpop: await prover.request({ url: REFRESH_URL }) });
    expect(refreshed.tokenType).toBe("DPoP");
    expect(decodeJwt(refreshed.accessToken).cnf).toEqual({ jkt: prover.jkt });
  });

  it("leaves a sign-in without a proof as it was: Bearer tokens, no cnf, refresh without a proof", async () => {
    const address = email();
    await t.auth.register({ email: address, password: PASSWORD, name: "Bo" });
    const result = await t.auth.signin({ email: address, password: PASSWORD });
    expect(result.tokenType).toBe("Bearer");
    expect(result.session.dpopJkt).toBeNull();
    expect(decodeJwt(result.accessToken).cnf).toBeUndefined();
    expect(await t.auth.checkBearerToken(result.accessToken)).not.toBeNull();
    await expect(t.auth.refresh(result.refreshToken)).resolves.toMatchObject({ tokenType: "Bearer" });
  });

  it("refuses an unbound token presented with the DPoP scheme", async () => {
    const address = email();
    const result = await t.auth.register({ email: address, password: PASSWORD, name: "Cy" });
    const prover = await createTestProver(t.clock.now);
    const dpop = await prover.request({ method: "GET", url: ME_URL, accessToken: result.accessToken });
    expect(await codeOf(t.auth.verifyBearerToken(result.accessToken, { scheme: "DPoP", dpop }))).toBe("TOKEN_INVALID");
  });

  it("binds register, keeps an unbound session unbound when a refresh brings a proof", async () => {
    const prover = await createTestProver(t.clock.now);
    const registered = await t.auth.register({ email: email(), password: PASSWORD, name: "Di" }, { dpop: await prover.request({ url: SIGNIN_URL }) });
    expect(registered.tokenType).toBe("DPoP");
    const plain = await t.auth.register({ email: email(), password: PASSWORD, name: "Ed" });
    const refreshed = await t.auth.refresh(plain.refreshToken, { dpop: await prover.request({ url: REFRESH_URL }) });
    expect(refreshed.tokenType).toBe("Bearer");
  });
});

describe("DPoP refusals", () => {
  it("refuses a stolen bound access token sent as Bearer", async () => {
    const { result } = await boundSignin();
    expect(await codeOf(t.auth.verifyBearerToken(result.accessToken))).toBe("TOKEN_INVALID");
    expect(await t.auth.checkBearerToken(result.accessToken)).toBeNull();
  });

  it("refuses the token with a proof from another key", async () => {
    const { result } = await boundSignin();
    const thief = await createTestProver(t.clock.now);
    const dpop = await thief.request({ method: "GET", url: ME_URL, accessToken: result.accessToken });
    expect(await codeOf(t.auth.verifyBearerToken(result.accessToken, { scheme: "DPoP", dpop }))).toBe("DPOP_PROOF_INVALID");
  });

  it("refuses the token with DPoP scheme and no proof", async () => {
    const { result } = await boundSignin();
    expect(await codeOf(t.auth.verifyBearerToken(result.accessToken, { scheme: "DPoP" }))).toBe("DPOP_PROOF_INVALID");
  });

  it("refuses a replayed proof (same jti)", async () => {
    const { prover, result } = await boundSignin();
    const dpop = await prover.request({ method: "GET", url: ME_URL, accessToken: result.accessToken });
    await t.auth.verifyBearerToken(result.accessToken, { scheme: "DPoP", dpop });
    expect(await codeOf(t.auth.verifyBearerToken(result.accessToken, { scheme: "DPoP", dpop }))).toBe("DPOP_PROOF_INVALID");
  });

  it("refuses a proof for another method or another URL", async () => {
    const { prover, result } = await boundSignin();
    const post = await prover.request({ method: "POST", url: ME_URL, accessToken: result.accessToken });
    expect(await codeOf(t.auth.verifyBearerToken(result.accessToken, { scheme: "DPoP", dpop: { ...post, htm: "GET" } }))).toBe("DPOP_PROOF_INVALID");
    const other = await prover.request({ method: "GET", url: "http://localhost:3000/api/trpc/account.delete", accessToken: result.accessToken });
    expect(await codeOf(t.auth.verifyBearerToken(result.accessToken, { scheme: "DPoP", dpop: { ...other, htu: ME_URL } }))).toBe("DPOP_PROOF_INVALID");
  });

  it("refuses a stale iat, and one from the future", async () => {
    const { prover, result } = await boundSignin();
    const now = Math.floor(t.clock.now().getTime() / 1000);
    for (const iat of [now - 61, now + 61]) {
      const dpop = await prover.request({ method: "GET", url: ME_URL, accessToken: result.accessToken, iat });
      expect(await codeOf(t.auth.verifyBearerToken(result.accessToken, { scheme: "DPoP", dpop }))).toBe("DPOP_PROOF_INVALID");
    }
  });

  it("refuses a proof without ath, or with the hash of another token", async () => {
    const { prover, result } = await boundSignin();
    const bare = await prover.request({ method: "GET", url: ME_URL, accessToken: result.accessToken, omitAth: true });
    expect(await codeOf(t.auth.verifyBearerToken(result.accessToken, { scheme: "DPoP", dpop: bare }))).toBe("DPOP_PROOF_INVALID");
    const wrong = await prover.request({ method: "GET", url: ME_URL, accessToken: "another token" });
    expect(await codeOf(t.auth.verifyBearerToken(result.accessToken, { scheme: "DPoP", dpop: wrong }))).toBe("DPOP_PROOF_INVALID");
  });

  it("refuses a refresh of a bound session without a proof or with another key, leaving the refresh token unused", async () => {
    const { prover, result } = await boundSignin();
    expect(await codeOf(t.auth.refresh(result.refreshToken))).toBe("DPOP_PROOF_INVALID");
    const thief = await createTestProver(t.clock.now);
    expect(await codeOf(t.auth.refresh(result.refreshToken, { dpop: await thief.request({ url: REFRESH_URL }) }))).toBe("DPOP_PROOF_INVALID");
    // Not consumed, not taken for reuse: the owner's refresh still works.
    await expect(t.auth.refresh(result.refreshToken, { dpop: await prover.request({ url: REFRESH_URL }) })).resolves.toMatchObject({ tokenType: "DPoP" });
  });

  it("refuses a sign-in whose proof is bad, and opens no session", async () => {
    const address = email();
    await t.auth.register({ email: address, password: PASSWORD, name: "Fay" });
    const prover = await createTestProver(t.clock.now);
    const dpop = await prover.request({ url: REFRESH_URL });
    expect(await codeOf(t.auth.signin({ email: address, password: PASSWORD }, { dpop: { ...dpop, htu: SIGNIN_URL } }))).toBe("DPOP_PROOF_INVALID");
  });
});
