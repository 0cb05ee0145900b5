// DPoP (RFC 9449): a session signed in with a proof gets tokens bound to the client's key, and
// nothing but that key can use them. Each case binds a fresh account's session, then presents
// its tokens the way a thief holding only the tokens (or a copied proof) would.
import { defineGroup } from "../conformance-case.ts";
import type { ConformanceContext } from "../context.ts";
import { createDPoPProver, type DPoPProver, hmacProof, type ProofOptions, unsignedProof } from "../lib/dpop-prover.ts";
import { describe, fail } from "../lib/expect.ts";
import { decodeJWT, epochSeconds } from "../lib/forge.ts";
import { authPayloadOf, errorOf, resultOf } from "../lib/payloads.ts";
import { expectUser } from "../lib/probe.ts";
import type { ApiResponse } from "../lib/trpc-http.ts";
import { registerUser } from "../lib/users.ts";

interface BoundSession {
  prover: DPoPProver;
  userId: string;
  accessToken: string;
  refreshToken: string;
  tokenType: string;
}

const url = (ctx: ConformanceContext, procedure: string) => `${ctx.api.endpoint}/${procedure}`;

/** Registers an account, then signs it in again with a proof: a session bound to a new key. */
async function boundSession(ctx: ConformanceContext): Promise<BoundSession> {
  const user = await registerUser(ctx);
  const prover = await createDPoPProver();
  const dpop = await prover.proof({ method: "POST", url: url(ctx, "auth.signin") });
  const payload = authPayloadOf(await ctx.api.mutation("auth.signin", { email: user.email, password: user.password }, { headers: { dpop } }));
  return { prover, userId: user.id, accessToken: payload.accessToken, refreshToken: payload.refreshToken, tokenType: payload.tokenType };
}

/** `auth.me` with `Authorization: DPoP <token>` and `proof` (none when `undefined`). */
function callMe(ctx: ConformanceContext, token: string, proof: string | undefined): Promise<ApiResponse> {
  return ctx.api.query("auth.me", { headers: { authorization: `DPoP ${token}`, ...(proof === undefined ? {} : { dpop: proof }) } });
}

/** A proof of `session`'s key for `auth.me`, with `changes` to what it claims. */
const meProof = (ctx: ConformanceContext, session: BoundSession, changes: Partial<ProofOptions> = {}) =>
  session.prover.proof({ method: "GET", url: url(ctx, "auth.me"), accessToken: session.accessToken, ...changes });

/** Fails unless `response` is a 401 with `authCode`, never a 200 or a 5xx. */
function expectRefused(response: ApiResponse, authCode: string): void {
  if (response.status !== 401) fail(`expected 401 ${authCode}, got ${describe(response)}`);
  const { data } = errorOf(response);
  if (data.authCode !== authCode) fail(`expected authCode ${authCode}, got ${String(data.authCode)}: ${describe(response)}`);
}

/** A refused proof: 401 DPOP_PROOF_INVALID with the RFC 9449 challenge. */
function expectInvalidProof(response: ApiResponse): void {
  expectRefused(response, "DPOP_PROOF_INVALID");
  const challenge = response.headers.get("www-authenticate") ?? "";
  if (!/^DPoP\b.*error="invalid_dpop_proof"/.test(challenge)) fail(`expected WWW-Authenticate: DPoP error="invalid_dpop_proof", got "${challenge}"`);
}

/** A case refusing the bound token presented with the proof `proofFor` makes. */
function refusesProof(proofFor: (ctx: ConformanceContext, session: BoundSession) => Promise<string | undefined>) {
  return async (ctx: ConformanceContext) => {
    const session = await boundSession(ctx);
    expectInvalidProof(await callMe(ctx, session.accessToken, await proofFor(ctx, session)));
  };
}

export const dpopCases = defineGroup("dpop", [
  {
    name: "sign-in with a proof: tokenType DPoP, cnf.jkt the key's thumbprint, usable with a fresh proof",
    run: async (ctx) => {
      const session = await boundSession(ctx);
      if (session.tokenType !== "DPoP") fail(`expected tokenType DPoP, got ${session.tokenType}`);
      const cnf = decodeJWT(session.accessToken).payload.cnf as { jkt?: unknown } | undefined;
      if (cnf?.jkt !== session.prover.jkt) fail(`expected cnf.jkt ${session.prover.jkt}, got ${JSON.stringify(cnf)}`);
      expectUser(await callMe(ctx, session.accessToken, await meProof(ctx, session)), session.userId);
    },
  },
  {
    name: "a stolen bound access token sent as Bearer: TOKEN_INVALID",
    run: async (ctx) => {
      const session = await boundSession(ctx);
      expectRefused(await ctx.api.query("auth.me", { token: session.accessToken }), "TOKEN_INVALID");
    },
  },
  { name: "the bound token without a proof", run: refusesProof(async () => undefined) },
  { name: "the bound token with a proof from another key", run: refusesProof(async (ctx, session) => (await createDPoPProver()).proof({ method: "GET", url: url(ctx, "auth.me"), accessToken: session.accessToken })) },
  {
    name: "a replayed proof (same jti)",
    run: async (ctx) => {
      const session = await boundSession(ctx);
      const proof = await meProof(ctx, session);
      expectUser(await callMe(ctx, session.accessToken, proof), session.userId);
      expectInvalidProof(await callMe(ctx, session.accessToken, proof));
    },
  },
  { name: "a proof for another method (POST)", run: refusesProof((ctx, session) => meProof(ctx, session, { method: "POST" })) },
  { name: "a proof for another URL", run: refusesProof((ctx, session) => meProof(ctx, session, { url: url(ctx, "auth.sessions") })) },
  { name: "a proof with a stale iat (10 minutes old)", run: refusesProof((ctx, session) => meProof(ctx, session, { iat: epochSeconds() - 600 })) },
  { name: "a proof without ath", run: refusesProof((ctx, session) => meProof(ctx, session, { omitAth: true })) },
  {
    name: "a proof with alg none",
    run: refusesProof(async (ctx, session) =>
      unsignedProof({ method: "GET", url: url(ctx, "auth.me"), accessToken: session.accessToken }, session.prover.publicJwk),
    ),
  },
  { name: "a proof with HS256", run: refusesProof((ctx, session) => hmacProof({ method: "GET", url: url(ctx, "auth.me"), accessToken: session.accessToken })) },
  {
    name: "refresh of a bound session without a proof, or with another key: refused, the refresh token kept",
    run: async (ctx) => {
      const session = await boundSession(ctx);
      const input = { refreshToken: session.refreshToken };
      const bare = await ctx.api.mutation("auth.refresh", input);
      if (bare.status === 200) fail(`a bound session was refreshed without a proof: ${describe(bare)}`);
      if (bare.status >= 500) fail(`expected a 4xx, got ${describe(bare)}`);
      const stranger = await createDPoPProver();
      const other = await ctx.api.mutation("auth.refresh", input, { headers: { dpop: await stranger.proof({ method: "POST", url: url(ctx, "auth.refresh") }) } });
      expectInvalidProof(other);
      // Neither refusal spent the refresh token: the key's holder still refreshes, bound again.
      const own = await ctx.api.mutation("auth.refresh", input, { headers: { dpop: await session.prover.proof({ method: "POST", url: url(ctx, "auth.refresh") }) } });
      const refreshed = resultOf(own) as { tokenType?: unknown };
      if (refreshed.tokenType !== "DPoP") fail(`expected the refreshed tokens to be DPoP-bound, got ${describe(own)}`);
    },
  },
]);
