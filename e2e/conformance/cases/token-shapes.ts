// Malformed tokens in a well-formed header: wrong segment counts, bad base64url, bad JSON, bad
// UTF-8 (the broken ones signed with the real key, so only parsing can refuse them), and
// oversized tokens, which must be refused fast without hurting the server.
import { defineGroup } from "../conformance-case.ts";
import type { ConformanceContext } from "../context.ts";
import { accessClaims, accessHeader } from "../lib/claims.ts";
import { expectFast, expectStatus } from "../lib/expect.ts";
import { base64url, decodeJWT, encodeSegment, signJWT, signSegments } from "../lib/forge.ts";
import { rejectsToken } from "../lib/forged-case.ts";
import { callMe, expectTokenAccepted, expectUnauthorized } from "../lib/probe.ts";
import { registerUser } from "../lib/users.ts";

/** Raw JSON text with two bytes that are not UTF-8 (0xFF 0xFE) inside a string value. */
function withInvalidUTF8(json: string, field: string): Uint8Array {
  const marker = `"${field}":"`;
  const at = json.indexOf(marker) + marker.length;
  return Buffer.concat([Buffer.from(json.slice(0, at)), Buffer.from([0xff, 0xfe]), Buffer.from(json.slice(at))]);
}

/** A token of about `bytes` characters: a real-key token whose jti is padded. */
function paddedToken(ctx: ConformanceContext, subject: { id: string; sessionId: string }, bytes: number): string {
  const claims = accessClaims(ctx.options, subject);
  // base64url grows JSON by 4/3, so the padding is 3/4 of the target length.
  return signJWT(accessHeader(ctx.options), { ...claims, jti: "x".repeat(Math.floor((bytes * 3) / 4)) }, ctx.signer);
}

/** An oversized token is refused in under a second, and the server still serves a normal call. */
function refusesOversized(bytes: number) {
  return async (ctx: ConformanceContext) => {
    const victim = await registerUser(ctx);
    const response = await callMe(ctx, paddedToken(ctx, victim, bytes));
    // Past the HTTP server's header limit (Node: 16 KB) a 431 or 400 before the app is fine too.
    if (response.status === 401) expectUnauthorized(response, { challenge: "any" });
    else expectStatus(response, [400, 413, 431, 494], `a ${bytes / 1024} KB token`);
    expectFast(response.ms, 1000, `refusing a ${bytes / 1024} KB token`);
    await expectTokenAccepted(ctx, victim.accessToken, victim.id);
    ctx.note(`HTTP ${response.status} in ${Math.round(response.ms)} ms`);
  };
}

const KEY = ["signing-key"] as const;

/** Malformed and oversized tokens, reported in the headers group. */
export const tokenShapeCases = defineGroup("headers", [
  { name: "one segment", run: rejectsToken(() => "eyJhbGciOiJIUzI1NiJ9") },
  {
    name: "two segments (header.payload of a real token)",
    run: rejectsToken((_ctx, v) => decodeJWT(v.accessToken).segments.slice(0, 2).join(".")),
  },
  { name: "four segments (a real token plus one)", run: rejectsToken((_ctx, v) => `${v.accessToken}.${decodeJWT(v.accessToken).segments[2]}`) },
  { name: "empty segments (..)", run: rejectsToken(() => "..") },
  { name: "empty header segment", run: rejectsToken((_ctx, v) => `.${decodeJWT(v.accessToken).segments.slice(1).join(".")}`) },
  {
    name: "empty payload segment",
    run: rejectsToken((_ctx, v) => {
      const [header, , signature] = decodeJWT(v.accessToken).segments;
      return `${header}..${signature}`;
    }),
  },
  {
    name: "invalid base64url: standard-alphabet characters (+ /) in the header",
    run: rejectsToken((_ctx, v) => `+/${v.accessToken}`),
  },
  { name: "invalid base64url: characters outside any alphabet (!)", run: rejectsToken((_ctx, v) => `!${v.accessToken}`, { challenge: "any" }) },
  {
    name: "invalid JSON in the header, real key",
    needs: KEY,
    run: rejectsToken((ctx, v) => signSegments(base64url('{"alg":"HS256",'), encodeSegment(accessClaims(ctx.options, v)), ctx.signer)),
  },
  {
    name: "invalid JSON in the payload, real key",
    needs: KEY,
    run: rejectsToken((ctx) => signSegments(encodeSegment(accessHeader(ctx.options)), base64url('{"sub":'), ctx.signer)),
  },
  {
    name: "header JSON an array, not an object, real key",
    needs: KEY,
    run: rejectsToken((ctx, v) => signSegments(base64url(`["${ctx.options.algorithm}"]`), encodeSegment(accessClaims(ctx.options, v)), ctx.signer)),
  },
  {
    name: "payload JSON an array, not an object, real key",
    needs: KEY,
    run: rejectsToken((ctx, v) => signSegments(encodeSegment(accessHeader(ctx.options)), encodeSegment([accessClaims(ctx.options, v)]), ctx.signer)),
  },
  {
    name: "invalid UTF-8 bytes in the header, real key",
    needs: KEY,
    run: rejectsToken((ctx, v) => {
      const header = withInvalidUTF8(JSON.stringify({ ...accessHeader(ctx.options), kid: "k" }), "kid");
      return signSegments(base64url(header), encodeSegment(accessClaims(ctx.options, v)), ctx.signer);
    }),
  },
  {
    name: "invalid UTF-8 bytes in the payload, real key",
    needs: KEY,
    run: rejectsToken((ctx, v) => {
      const payload = withInvalidUTF8(JSON.stringify(accessClaims(ctx.options, v)), "jti");
      return signSegments(encodeSegment(accessHeader(ctx.options)), base64url(payload), ctx.signer);
    }),
  },
  {
    name: "a non-ASCII byte (0xFF) after the token in the Authorization header",
    run: async (ctx) => {
      const victim = await registerUser(ctx);
      const response = await ctx.api.query("auth.me", { headers: { authorization: `Bearer ${victim.accessToken}\u00ff` } });
      expectUnauthorized(response, { challenge: "any" });
    },
  },
  // Signed with the real key, so only the size can be the reason it is refused.
  { name: "an 8 KB token: refused in under 1 s, server healthy after", needs: KEY, run: refusesOversized(8 * 1024) },
  { name: "a 64 KB token: refused in under 1 s, server healthy after", needs: KEY, run: refusesOversized(64 * 1024) },
]);
