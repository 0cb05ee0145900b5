// Signature and algorithm forgery: every token here was not made by the server, or not in
// the way the server makes them, and auth.me must refuse it with 401 (never 200, never 500).
import { createPublicKey, randomBytes } from "node:crypto";
import { defineGroup } from "../conformance-case.ts";
import type { ConformanceContext } from "../context.ts";
import { accessClaims, accessHeader, forgeAccessToken } from "../lib/claims.ts";
import { base64url, decodeJWT, encodeSegment, HMAC_ALGORITHMS, type HMACAlgorithm, signature, signJWT } from "../lib/forge.ts";
import { rejectsToken } from "../lib/forged-case.ts";
import { describe, fail } from "../lib/expect.ts";
import { callMe, expectTokenAccepted, expectTokenRejected, expectUser } from "../lib/probe.ts";
import { registerUser } from "../lib/users.ts";

const NONE_SPELLINGS = ["none", "None", "NONE", "nOnE"] as const;
const SIGNING_KEY = ["signing-key"] as const;

/** Replaces one character mid-signature. Not the last: its low bits are padding, and some changes decode to the same bytes. */
function alterSignature(signature: string): string {
  const middle = Math.floor(signature.length / 2);
  const replacement = signature[middle] === "A" ? "B" : "A";
  return `${signature.slice(0, middle)}${replacement}${signature.slice(middle + 1)}`;
}

const algNoneCases = NONE_SPELLINGS.flatMap((alg) => [
  {
    name: `alg "${alg}", no signature`,
    run: rejectsToken((ctx, victim) => {
      const header = encodeSegment({ alg, typ: "at+jwt" });
      return `${header}.${encodeSegment(accessClaims(ctx.options, victim))}.`;
    }),
  },
  {
    // Signed with the real key, so only honouring the header's "none" could explain a 200.
    name: `alg "${alg}", with a signature`,
    needs: SIGNING_KEY,
    run: rejectsToken((ctx, victim) => {
      const input = `${encodeSegment({ alg, typ: "at+jwt" })}.${encodeSegment(accessClaims(ctx.options, victim))}`;
      return `${input}.${signature(input, ctx.signer)}`;
    }),
  },
]);

const otherAlgorithmCases = HMAC_ALGORITHMS.map((alg: HMACAlgorithm) => ({
  name: `${alg} with the real secret: accepted only if it is the configured algorithm`,
  needs: ["secret"] as const,
  run: async (ctx: ConformanceContext) => {
    const victim = await registerUser(ctx);
    const secret = new TextEncoder().encode(ctx.options.secret);
    const token = signJWT({ alg, typ: "at+jwt" }, accessClaims(ctx.options, victim), { key: secret, algorithm: alg });
    // Verification pins the configured algorithm; the header's alg must never choose.
    if (alg === ctx.options.algorithm) await expectTokenAccepted(ctx, token, victim.id);
    else await expectTokenRejected(ctx, token);
  },
}));

/** Controls first, then signature, algorithm and key forgery. */
export const forgeryCases = defineGroup("forgery", [
  {
    // Without this, every rejection below could just mean a wrong --secret.
    name: "control: a token re-signed with the real key is accepted",
    needs: SIGNING_KEY,
    run: async (ctx) => {
      const victim = await registerUser(ctx);
      const response = await callMe(ctx, forgeAccessToken(ctx, victim));
      if (response.status === 401) {
        fail(`refused: ${describe(response)} (are --secret or --private-key, --algorithm, --issuer and --audience the server's?)`);
      }
      expectUser(response, victim.id);
    },
  },
  {
    name: "control: the issued access token is accepted",
    run: async (ctx) => {
      const victim = await registerUser(ctx);
      await expectTokenAccepted(ctx, victim.accessToken, victim.id);
    },
  },
  ...algNoneCases,
  {
    name: "signature stripped (header.payload.)",
    run: rejectsToken((_ctx, victim) => {
      const [header, payload] = decodeJWT(victim.accessToken).segments;
      return `${header}.${payload}.`;
    }),
  },
  {
    name: "signature truncated",
    run: rejectsToken((_ctx, victim) => {
      const [header, payload, signature] = decodeJWT(victim.accessToken).segments;
      return `${header}.${payload}.${signature.slice(0, -4)}`;
    }),
  },
  {
    name: "signature altered",
    run: rejectsToken((_ctx, victim) => {
      const [header, payload, signature] = decodeJWT(victim.accessToken).segments;
      return `${header}.${payload}.${alterSignature(signature)}`;
    }),
  },
  {
    name: "payload altered under the original signature (exp extended)",
    run: rejectsToken((_ctx, victim) => {
      const { segments, payload } = decodeJWT(victim.accessToken);
      const exp = typeof payload.exp === "number" ? payload.exp : 0;
      return `${segments[0]}.${base64url(JSON.stringify({ ...payload, exp: exp + 86_400 }))}.${segments[2]}`;
    }),
  },
  {
    name: "signed with a wrong (random 64-byte) key",
    run: rejectsToken((ctx, victim) =>
      signJWT(accessHeader(ctx.options), accessClaims(ctx.options, victim), { key: randomBytes(64), algorithm: ctx.options.algorithm }),
    ),
  },
  ...otherAlgorithmCases,
  {
    // The classic key confusion: a verifier that lets the header pick the algorithm would
    // check this HMAC with the (public) key bytes it holds. The key is the published one, which
    // every attacker has. Under HS* there is no public key.
    name: "HS256 signed with the server's public key (PEM, then JWK) as the secret, under its kid",
    run: async (ctx: ConformanceContext) => {
      const { publicKey: jwk } = ctx.options;
      if (jwk === null) return ctx.note("HS* server: no public key to confuse");
      const victim = await registerUser(ctx);
      const publicKey = createPublicKey({ key: jwk, format: "jwk" });
      for (const secret of [publicKey.export({ type: "spki", format: "pem" }).toString(), JSON.stringify(publicKey.export({ format: "jwk" }))]) {
        const header = { alg: "HS256", typ: "at+jwt", kid: ctx.options.kid };
        await expectTokenRejected(ctx, signJWT(header, accessClaims(ctx.options, victim), { key: secret, algorithm: "HS256" }));
      }
    },
  },
  {
    name: "signed with the empty key",
    run: rejectsToken((ctx, victim) =>
      signJWT(accessHeader(ctx.options), accessClaims(ctx.options, victim), { key: "", algorithm: ctx.options.algorithm }),
    ),
  },
  {
    name: 'signed with the weak key "secret"',
    run: rejectsToken((ctx, victim) =>
      signJWT(accessHeader(ctx.options), accessClaims(ctx.options, victim), { key: "secret", algorithm: ctx.options.algorithm }),
    ),
  },
]);
