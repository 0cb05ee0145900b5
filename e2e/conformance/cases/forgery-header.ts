// Header-parameter forgery (RFC 7515 §4.1): keys and key locations offered by the token
// itself, injection through `kid`, and critical extensions. The server's key is configured,
// never taken from a token; all of these must be refused with 401, and quickly.
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { defineGroup } from "../conformance-case.ts";
import type { ConformanceContext } from "../context.ts";
import { accessClaims, accessHeader, forgeAccessToken } from "../lib/claims.ts";
import { attackerKey } from "../lib/attacker-keys.ts";
import { startCanary } from "../lib/canary.ts";
import { expectFast, fail } from "../lib/expect.ts";
import { base64url, signJWT } from "../lib/forge.ts";
import { rejectsToken } from "../lib/forged-case.ts";
import { callMe, expectUnauthorized } from "../lib/probe.ts";
import { registerUser } from "../lib/users.ts";

// Port 9 (discard) refuses at once on most machines; a server that fetched would still be slow or fail.
const UNREACHABLE = "http://127.0.0.1:9";
// Not a certificate: the server must never parse one from a token, so any base64 will do.
const BOGUS_X5C = randomBytes(64).toString("base64");
const KID_INJECTIONS = ["../../dev/null", "' OR 1=1 --", "|ls"] as const;

/** Presents a token whose header points at `url`, and requires a prompt 401. */
function rejectsRemoteKey(param: "jku" | "x5u", url: string) {
  return async (ctx: ConformanceContext) => {
    const victim = await registerUser(ctx);
    const attacker = await attackerKey();
    const token = await attacker.sign({ typ: "at+jwt", [param]: url, kid: "attacker" }, accessClaims(ctx.options, victim));
    const response = await callMe(ctx, token);
    expectUnauthorized(response);
    expectFast(response.ms, 1000, `refusing a token with ${param}`);
  };
}

/** Forgery through JOSE header parameters. */
export const forgeryHeaderCases = defineGroup("forgery", [
  {
    name: "header jwk: attacker's RSA key embedded, signed with it (RS256)",
    run: rejectsToken(async (ctx, victim) => {
      const attacker = await attackerKey();
      return attacker.sign({ typ: "at+jwt", jwk: attacker.publicJWK }, accessClaims(ctx.options, victim));
    }),
  },
  {
    name: "header jwk: attacker's symmetric (oct) key embedded, signed with it",
    run: rejectsToken((ctx, victim) => {
      const key = randomBytes(64);
      const header = { ...accessHeader(ctx.options), jwk: { kty: "oct", k: base64url(key) } };
      return signJWT(header, accessClaims(ctx.options, victim), { key, algorithm: ctx.options.algorithm });
    }),
  },
  { name: `header jku pointing at ${UNREACHABLE}/: fast 401`, run: rejectsRemoteKey("jku", `${UNREACHABLE}/jwks.json`) },
  { name: `header x5u pointing at ${UNREACHABLE}/: fast 401`, run: rejectsRemoteKey("x5u", `${UNREACHABLE}/cert.pem`) },
  {
    name: "header jku and x5u pointing at a listening canary: 401 and never fetched",
    run: async (ctx) => {
      const canary = await startCanary();
      try {
        await rejectsRemoteKey("jku", `${canary.origin}/jwks.json`)(ctx);
        await rejectsRemoteKey("x5u", `${canary.origin}/cert.pem`)(ctx);
        // A fetch started in the background could land just after the response.
        await sleep(250);
        if (canary.hits() > 0) fail(`the server fetched the token's key URL (${canary.hits()} requests)`);
      } finally {
        await canary.close();
      }
    },
  },
  {
    name: "header x5c: a certificate chain the attacker chose",
    run: rejectsToken(async (ctx, victim) => {
      const attacker = await attackerKey();
      return attacker.sign({ typ: "at+jwt", x5c: [BOGUS_X5C] }, accessClaims(ctx.options, victim));
    }),
  },
  ...KID_INJECTIONS.map((kid) => ({
    // Signed with the empty key: what a server would use after reading /dev/null, or a failed lookup.
    name: `header kid injection ${JSON.stringify(kid)}, signed with the empty key`,
    run: rejectsToken((ctx, victim) =>
      signJWT({ ...accessHeader(ctx.options), kid }, accessClaims(ctx.options, victim), { key: "", algorithm: ctx.options.algorithm }),
    ),
  })),
  {
    name: 'header crit ["exp"] (not a header parameter the server understands), real key',
    needs: ["signing-key"],
    run: rejectsToken((ctx, victim) => forgeAccessToken(ctx, victim, { header: { crit: ["exp"] } })),
  },
  {
    name: 'header crit ["foo"] with foo set, real key',
    needs: ["signing-key"],
    run: rejectsToken((ctx, victim) => forgeAccessToken(ctx, victim, { header: { crit: ["foo"], foo: "bar" } })),
  },
  {
    name: "header crit [] (empty, forbidden by RFC 7515 §4.1.11), real key",
    needs: ["signing-key"],
    run: rejectsToken((ctx, victim) => forgeAccessToken(ctx, victim, { header: { crit: [] } })),
  },
  {
    // RFC 7797 unencoded payload: the signature covers the encoded payload's text, which a
    // verifier ignoring b64 would accept; JWTs must not use b64:false at all.
    name: 'header b64: false with crit ["b64"], real key',
    needs: ["signing-key"],
    run: rejectsToken((ctx, victim) => forgeAccessToken(ctx, victim, { header: { b64: false, crit: ["b64"] } })),
  },
]);
