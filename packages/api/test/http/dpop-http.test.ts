import { describe, expect, it } from "vitest";
import { email, PASSWORD } from "../fixture.ts";
import { type ErrorBody, useHttp } from "../http-fixture.ts";
import { createTestProver } from "../dpop-prover.ts";

interface Tokens {
  result: { data: { accessToken: string; refreshToken: string; tokenType: string } };
}

describe("DPoP over HTTP (optional mode)", () => {
  const { t, post, get } = useHttp();

  async function boundRegistration() {
    const prover = await createTestProver(t.clock.now);
    const response = await post("auth.register", { email: email(), password: PASSWORD, name: "Ann" }, { DPoP: await prover.proof("POST", "/api/trpc/auth.register") });
    expect(response.status).toBe(200);
    const { data } = ((await response.json()) as Tokens).result;
    return { prover, ...data };
  }

  it("binds a registration that sends a proof, serves auth.me with DPoP, refreshes with the same key", async () => {
    const { prover, accessToken, refreshToken, tokenType } = await boundRegistration();
    expect(tokenType).toBe("DPoP");
    const me = await get("auth.me", { authorization: `DPoP ${accessToken}`, DPoP: await prover.proof("GET", "/api/trpc/auth.me", { accessToken }) });
    expect(me.status).toBe(200);
    const refreshed = await post("auth.refresh", { refreshToken }, { DPoP: await prover.proof("POST", "/api/trpc/auth.refresh") });
    expect(refreshed.status).toBe(200);
    expect(((await refreshed.json()) as Tokens).result.data.tokenType).toBe("DPoP");
  });

  it("refuses the bound token as Bearer, and a replayed proof, with DPoP challenges", async () => {
    const { prover, accessToken } = await boundRegistration();
    const asBearer = await get("auth.me", { authorization: `Bearer ${accessToken}` });
    expect(asBearer.status).toBe(401);
    expect(((await asBearer.json()) as ErrorBody).error.data.authCode).toBe("TOKEN_INVALID");
    const proof = await prover.proof("GET", "/api/trpc/auth.me", { accessToken });
    expect((await get("auth.me", { authorization: `DPoP ${accessToken}`, DPoP: proof })).status).toBe(200);
    const replayed = await get("auth.me", { authorization: `DPoP ${accessToken}`, DPoP: proof });
    expect(replayed.status).toBe(401);
    expect(replayed.headers.get("www-authenticate")).toMatch(/^DPoP error="invalid_dpop_proof", algs="ES256 ES384 EdDSA RS256 PS256"$/);
    expect(((await replayed.json()) as ErrorBody).error.data.authCode).toBe("DPOP_PROOF_INVALID");
  });

  it("refuses a refresh of a bound session without a proof, keeping the refresh token usable", async () => {
    const { prover, refreshToken } = await boundRegistration();
    const bare = await post("auth.refresh", { refreshToken });
    expect(bare.status).toBe(401);
    expect(((await bare.json()) as ErrorBody).error.data.authCode).toBe("DPOP_PROOF_INVALID");
    expect((await post("auth.refresh", { refreshToken }, { DPoP: await prover.proof("POST", "/api/trpc/auth.refresh") })).status).toBe(200);
  });

  it("keeps a client without proofs on Bearer tokens", async () => {
    const response = await post("auth.register", { email: email(), password: PASSWORD, name: "Bo" });
    const { accessToken, tokenType } = ((await response.json()) as Tokens).result.data;
    expect(tokenType).toBe("Bearer");
    expect((await get("auth.me", { authorization: `Bearer ${accessToken}` })).status).toBe(200);
  });
});

describe("DPoP over HTTP, required with nonces", () => {
  const { t, post } = useHttp({ dpop: { mode: "required", nonce: true } });

  it("400 DPOP_REQUIRED without a proof; use_dpop_nonce with a DPoP-Nonce, then accepted with it", async () => {
    const input = { email: email(), password: PASSWORD, name: "Cy" };
    const bare = await post("auth.register", input);
    expect(bare.status).toBe(400);
    expect(((await bare.json()) as ErrorBody).error.data.authCode).toBe("DPOP_REQUIRED");
    const prover = await createTestProver(t.clock.now);
    const first = await post("auth.register", input, { DPoP: await prover.proof("POST", "/api/trpc/auth.register") });
    expect(first.status).toBe(401);
    expect(first.headers.get("www-authenticate")).toBe('DPoP error="use_dpop_nonce"');
    const nonce = first.headers.get("dpop-nonce");
    expect(nonce).toEqual(expect.any(String));
    const second = await post("auth.register", input, { DPoP: await prover.proof("POST", "/api/trpc/auth.register", { nonce: nonce ?? "" }) });
    expect(second.status).toBe(200);
    expect(second.headers.get("dpop-nonce")).toEqual(expect.any(String));
  });
});
