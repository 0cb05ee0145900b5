// Where and how the token is presented. Only `Authorization: Bearer <token>` (scheme in any
// case, RFC 6750 §2.1) may authenticate; every other placement or shape gets 401.
import { defineGroup } from "../conformance-case.ts";
import type { ConformanceContext } from "../context.ts";
import { describe, fail } from "../lib/expect.ts";
import { rawRequest } from "../lib/raw-http.ts";
import { expectTokenAccepted, expectUnauthorized, expectUser, type Rejection } from "../lib/probe.ts";
import { registerUser, type TestUser } from "../lib/users.ts";

/** GET auth.me with exactly these headers (no Authorization unless given), expecting 401. */
function rejectsHeaders(headers: (victim: TestUser, other: TestUser) => Record<string, string>, expected: Rejection = { challenge: "any" }) {
  return async (ctx: ConformanceContext) => {
    const victim = await registerUser(ctx);
    const other = await registerUser(ctx);
    expectUnauthorized(await ctx.api.query("auth.me", { headers: headers(victim, other) }), expected);
  };
}

function acceptsScheme(scheme: string) {
  return async (ctx: ConformanceContext) => {
    const victim = await registerUser(ctx);
    const response = await ctx.api.query("auth.me", { headers: { authorization: `${scheme} ${victim.accessToken}` } });
    expectUser(response, victim.id);
  };
}

/** Token placement and Authorization header shapes. */
export const headerCases = defineGroup("headers", [
  { name: "no Authorization header", run: rejectsHeaders(() => ({})) },
  { name: "token without a scheme", run: rejectsHeaders((v) => ({ authorization: v.accessToken })) },
  {
    name: "Basic scheme with the user's email and password",
    run: rejectsHeaders((v) => ({ authorization: `Basic ${Buffer.from(`${v.email}:${v.password}`).toString("base64")}` })),
  },
  { name: "Basic scheme carrying the access token", run: rejectsHeaders((v) => ({ authorization: `Basic ${v.accessToken}` })) },
  { name: '"Bearer" alone', run: rejectsHeaders(() => ({ authorization: "Bearer" })) },
  { name: '"Bearer " and spaces only', run: rejectsHeaders(() => ({ authorization: "Bearer    " })) },
  { name: "an extra word after the token", run: rejectsHeaders((v) => ({ authorization: `Bearer ${v.accessToken} extra` })) },
  {
    name: "two tokens in one header (Bearer a, Bearer b)",
    run: rejectsHeaders((v, o) => ({ authorization: `Bearer ${v.accessToken}, Bearer ${o.accessToken}` })),
  },
  {
    // fetch merges repeated headers into one; node:http sends two lines, as a confused proxy might.
    name: "two Authorization header lines, each a valid token of a different user",
    run: async (ctx) => {
      const victim = await registerUser(ctx);
      const other = await registerUser(ctx);
      const response = await rawRequest(ctx.options.url, {
        method: "GET",
        target: "/api/trpc/auth.me",
        headers: [
          ["authorization", `Bearer ${victim.accessToken}`],
          ["authorization", `Bearer ${other.accessToken}`],
        ],
      });
      ctx.api.record(response);
      if (response.status === 200) {
        const chosen = response.text.includes(victim.id) ? "first" : response.text.includes(other.id) ? "second" : "one";
        fail(`authenticated with the ${chosen} of two Authorization lines instead of refusing the ambiguous request: ${describe(response)}`);
      }
      expectUnauthorized(response, { challenge: "any" });
    },
  },
  {
    name: "token only in the query string (?access_token=)",
    run: async (ctx) => {
      const victim = await registerUser(ctx);
      const response = await ctx.api.query("auth.me", { search: `access_token=${encodeURIComponent(victim.accessToken)}` });
      expectUnauthorized(response, { challenge: "any" });
    },
  },
  {
    name: "token only in the request body (access_token), on a protected mutation",
    run: async (ctx) => {
      const victim = await registerUser(ctx);
      const response = await ctx.api.mutation("auth.logout", { access_token: victim.accessToken, everywhere: true });
      expectUnauthorized(response, { challenge: "any" });
      // The session must have survived the refused logout.
      await expectTokenAccepted(ctx, victim.accessToken, victim.id);
    },
  },
  {
    name: "token only in cookies",
    run: rejectsHeaders((v) => ({
      cookie: `access_token=${v.accessToken}; token=${v.accessToken}; authorization=Bearer%20${v.accessToken}; bk_refresh=${v.refreshToken}`,
    })),
  },
  { name: 'lower-case "bearer" scheme: accepted', run: acceptsScheme("bearer") },
  { name: 'upper-case "BEARER" scheme: accepted', run: acceptsScheme("BEARER") },
  {
    // CVE-2025-29927: this header once made Next.js skip middleware; auth here must not depend on it.
    name: "x-middleware-subrequest: middleware, no token",
    run: rejectsHeaders(() => ({ "x-middleware-subrequest": "middleware" })),
  },
  {
    name: "x-middleware-subrequest: src/middleware repeated, no token",
    run: rejectsHeaders(() => ({ "x-middleware-subrequest": Array.from({ length: 5 }, () => "src/middleware").join(":") })),
  },
  {
    name: "x-middleware-subrequest: middleware repeated, with a garbage token",
    run: rejectsHeaders(() => ({
      "x-middleware-subrequest": Array.from({ length: 5 }, () => "middleware").join(":"),
      authorization: "Bearer garbage",
    })),
  },
]);
