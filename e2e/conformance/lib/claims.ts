import { randomUUID } from "node:crypto";
import type { ConformanceContext, ResolvedOptions } from "../context.ts";
import { epochSeconds, signJWT } from "./forge.ts";
import type { JSONObject } from "./json.ts";

/** Whose token to forge: a user id (`sub`) and one of their session ids (`sid`). */
export interface TokenSubject {
  id: string;
  sessionId: string;
}

/** Changes to a forged token, relative to one the server would issue itself. */
export interface TokenChanges {
  header?: JSONObject;
  claims?: JSONObject;
  /** Claims to leave out entirely. */
  omit?: readonly string[];
}

/** The header the server issues: `{ alg, typ: "at+jwt" }`, and its key's `kid` under a public-key algorithm. */
export function accessHeader(options: ResolvedOptions): JSONObject {
  return { alg: options.algorithm, typ: "at+jwt", ...(options.kid !== "" && { kid: options.kid }) };
}

/**
 * Claims as the server would issue them for `subject`, valid for ten minutes from now.
 *
 * @example accessClaims(ctx.options, alice, { exp: epochSeconds() - 30 })
 */
export function accessClaims(options: ResolvedOptions, subject: TokenSubject, overrides: JSONObject = {}): JSONObject {
  const now = epochSeconds();
  return {
    iss: options.issuer,
    aud: options.audience,
    sub: subject.id,
    sid: subject.sessionId,
    iat: now,
    nbf: now,
    exp: now + 600,
    jti: randomUUID(),
    ...overrides,
  };
}

function without(object: JSONObject, keys: readonly string[]): JSONObject {
  return Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key)));
}

/**
 * A token signed with the server's real key, differing from an issued one only by `changes`:
 * a rejection then can only be the server checking what was changed.
 *
 * @example forgeAccessToken(ctx, alice, { claims: { iss: "evil" } })
 */
export function forgeAccessToken(ctx: ConformanceContext, subject: TokenSubject, changes: TokenChanges = {}): string {
  const header = { ...accessHeader(ctx.options), ...changes.header };
  const claims = without(accessClaims(ctx.options, subject, changes.claims), changes.omit ?? []);
  return signJWT(header, claims, ctx.signer);
}
