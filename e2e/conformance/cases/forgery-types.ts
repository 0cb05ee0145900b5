// Type confusion: each claim and header field in turn holds a value of the wrong JSON type,
// signed with the real key. A server that coerces ("true" == true, [sid] == sid) or compares
// loosely would accept some of these; every one must be refused with 401, never 500.
import { defineGroup } from "../conformance-case.ts";
import type { ConformanceContext } from "../context.ts";
import { accessClaims, accessHeader } from "../lib/claims.ts";
import { signJWT } from "../lib/forge.ts";
import type { JSONValue } from "../lib/json.ts";
import { expectTokenRejected } from "../lib/probe.ts";
import { registerUser } from "../lib/users.ts";

const CLAIMS = ["iss", "aud", "sub", "sid", "iat", "nbf", "exp", "jti"] as const;
const HEADER_FIELDS = ["alg", "typ"] as const;
const NUMERIC = new Set<string>(["iat", "nbf", "exp"]);
const KINDS = ["null", "true", "scalar", "array", "object"] as const;
type Kind = (typeof KINDS)[number];

function label(kind: Kind, field: string): string {
  if (kind === "scalar") return NUMERIC.has(field) ? "a numeric string" : "a number";
  if (kind === "array") return field === "aud" ? "a nested array" : "an array";
  return kind === "object" ? "an object" : kind;
}

/** The wrong-typed stand-in for `valid`; arrays and objects wrap the valid value, as coercion attacks do. */
function confused(kind: Kind, field: string, valid: JSONValue): JSONValue {
  switch (kind) {
    case "null":
      return null;
    case "true":
      return true;
    case "scalar":
      return typeof valid === "number" ? String(valid) : 1;
    case "array":
      // RFC 7519 §4.1.3 lets aud be an array of strings, so only a nested one is the wrong type.
      return field === "aud" ? [[valid]] : [valid];
    case "object":
      return { value: valid };
  }
}

function claimCase(field: (typeof CLAIMS)[number], kind: Kind) {
  return {
    name: `claim ${field} set to ${label(kind, field)}, real key`,
    needs: ["signing-key"] as const,
    run: async (ctx: ConformanceContext) => {
      const victim = await registerUser(ctx);
      const claims = accessClaims(ctx.options, victim);
      const token = signJWT(accessHeader(ctx.options), { ...claims, [field]: confused(kind, field, claims[field] ?? null) }, ctx.signer);
      await expectTokenRejected(ctx, token);
    },
  };
}

function headerCase(field: (typeof HEADER_FIELDS)[number], kind: Kind) {
  return {
    name: `header ${field} set to ${label(kind, field)}, real key`,
    needs: ["signing-key"] as const,
    run: async (ctx: ConformanceContext) => {
      const victim = await registerUser(ctx);
      const header = accessHeader(ctx.options);
      const token = signJWT({ ...header, [field]: confused(kind, field, header[field] ?? null) }, accessClaims(ctx.options, victim), ctx.signer);
      await expectTokenRejected(ctx, token);
    },
  };
}

/** Fifty type-confusion cases: eight claims and two header fields, five wrong types each. */
export const forgeryTypeCases = defineGroup("forgery", [
  ...CLAIMS.flatMap((field) => KINDS.map((kind) => claimCase(field, kind))),
  ...HEADER_FIELDS.flatMap((field) => KINDS.map((kind) => headerCase(field, kind))),
]);
