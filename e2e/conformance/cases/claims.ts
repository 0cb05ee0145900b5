// Claim checks, each isolated: the token is signed with the real key and differs from one the
// server would issue only in the claim under test, so a 200 can only mean that check is missing.
import { randomUUID } from "node:crypto";
import { defineGroup } from "../conformance-case.ts";
import type { ConformanceContext } from "../context.ts";
import { forgeAccessToken, type TokenChanges } from "../lib/claims.ts";
import { fail } from "../lib/expect.ts";
import { epochSeconds } from "../lib/forge.ts";
import { errorOf } from "../lib/payloads.ts";
import { expectTokenAccepted, expectTokenRejected, expectUnauthorized, type Rejection } from "../lib/probe.ts";
import { registerUser } from "../lib/users.ts";

/** A case refusing the victim's token with `changes` (computed at run time: the clock moves). */
function rejects(changes: (ctx: ConformanceContext) => TokenChanges, expected: Rejection = {}) {
  return async (ctx: ConformanceContext) => {
    const victim = await registerUser(ctx);
    await expectTokenRejected(ctx, forgeAccessToken(ctx, victim, changes(ctx)), expected);
  };
}

const past = (ctx: ConformanceContext, seconds: number) => epochSeconds() - seconds - ctx.options.leeway;
const future = (ctx: ConformanceContext) => epochSeconds() + ctx.options.leeway + 60;

/** Every case forging with the real key needs it; the rest present tokens the server issued. */
const KEY = ["signing-key"] as const;

/** One case per claim check: time, issuer, audience, subject, session. */
export const claimCases = defineGroup("claims", [
  {
    name: "exp just past, within the leeway: accepted",
    needs: KEY,
    run: async (ctx) => {
      const victim = await registerUser(ctx);
      const now = epochSeconds();
      const exp = now - Math.floor(ctx.options.leeway / 2);
      await expectTokenAccepted(ctx, forgeAccessToken(ctx, victim, { claims: { exp, iat: now - 600, nbf: now - 600 } }), victim.id);
    },
  },
  {
    name: "exp beyond the leeway (now - leeway - 60): TOKEN_EXPIRED",
    needs: KEY,
    run: rejects((ctx) => ({ claims: { exp: past(ctx, 60), iat: past(ctx, 3600), nbf: past(ctx, 3600) } }), { authCode: "TOKEN_EXPIRED" }),
  },
  { name: "exp missing", needs: KEY, run: rejects(() => ({ omit: ["exp"] })) },
  { name: "exp a non-numeric string", needs: KEY, run: rejects(() => ({ claims: { exp: "tomorrow" } })) },
  { name: "exp null", needs: KEY, run: rejects(() => ({ claims: { exp: null } })) },
  { name: "nbf in the future (now + leeway + 60)", needs: KEY, run: rejects((ctx) => ({ claims: { nbf: future(ctx) } })) },
  { name: "iat in the future (now + leeway + 60)", needs: KEY, run: rejects((ctx) => ({ claims: { iat: future(ctx) } })) },
  { name: "iss wrong", needs: KEY, run: rejects(() => ({ claims: { iss: "https://evil.example" } })) },
  { name: "iss differing only in case", needs: KEY, run: rejects((ctx) => ({ claims: { iss: ctx.options.issuer.toUpperCase() } })) },
  { name: "iss missing", needs: KEY, run: rejects(() => ({ omit: ["iss"] })) },
  { name: "aud wrong", needs: KEY, run: rejects(() => ({ claims: { aud: "some-other-api" } })) },
  { name: "aud missing", needs: KEY, run: rejects(() => ({ omit: ["aud"] })) },
  { name: "sub missing", needs: KEY, run: rejects(() => ({ omit: ["sub"] })) },
  { name: "sub unknown (a random user id, the victim's sid)", needs: KEY, run: rejects(() => ({ claims: { sub: randomUUID() } })) },
  { name: "sid missing", needs: KEY, run: rejects(() => ({ omit: ["sid"] })) },
  { name: "sid unknown (a random session id)", needs: KEY, run: rejects(() => ({ claims: { sid: randomUUID() } })) },
  { name: "sid an SQL injection string", needs: KEY, run: rejects(() => ({ claims: { sid: "' OR '1'='1" } })) },
  {
    name: "sid of another user's session",
    needs: KEY,
    run: async (ctx) => {
      const victim = await registerUser(ctx);
      const other = await registerUser(ctx);
      await expectTokenRejected(ctx, forgeAccessToken(ctx, victim, { claims: { sid: other.sessionId } }));
    },
  },
  {
    name: "refresh token used as the bearer token",
    run: async (ctx) => {
      const victim = await registerUser(ctx);
      await expectTokenRejected(ctx, victim.refreshToken);
    },
  },
  {
    name: "access token used as the refresh token",
    run: async (ctx) => {
      const victim = await registerUser(ctx);
      const response = await ctx.api.mutation("auth.refresh", { refreshToken: victim.accessToken });
      expectUnauthorized(response, { challenge: "unchecked" });
    },
  },
  {
    name: "token forged for a logged-out session: SESSION_REVOKED",
    needs: KEY,
    run: async (ctx) => {
      const victim = await registerUser(ctx);
      const logout = await ctx.api.mutation("auth.logout", {}, { token: victim.accessToken });
      if (logout.status !== 200) fail(`logout failed: ${errorOf(logout).message}`);
      // A fresh token, valid in every claim, for the revoked sid: only the session check can refuse it.
      await expectTokenRejected(ctx, forgeAccessToken(ctx, victim), { authCode: "SESSION_REVOKED" });
    },
  },
]);
