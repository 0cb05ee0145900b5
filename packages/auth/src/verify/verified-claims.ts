import type { JWTPayload, ProtectedHeaderParameters } from "jose";
import type { VerifyAlgorithm } from "./algorithms.ts";

/** What a verified access token says. Every field was required and checked. */
export interface VerifiedClaims {
  /** The user id. */
  sub: string;
  /** The session id. Stateless verification cannot tell whether it was revoked since. */
  sid: string;
  /** The token's unique id. */
  jti: string;
  iss: string;
  aud: string | string[];
  /** Issued at, seconds since the epoch. */
  iat: number;
  /** Expires at, seconds since the epoch. */
  exp: number;
  /** The signing key's id, from the header. */
  kid: string;
  /** The signing algorithm, from the header (pinned to the key's own). */
  alg: VerifyAlgorithm;
  /**
   * What the sign-in proved (RFC 8176): `["pwd"]`, `["pwd", "otp", "mfa"]` after a TOTP code,
   * `["pwd", "mfa"]` after a recovery code; `[]` when the token carries none (a session the
   * host opened itself). A service that needs two factors checks for `"mfa"`.
   */
  amr: readonly string[];
  /**
   * RFC 9449 confirmation: present on a DPoP-bound token, whose `jkt` is the thumbprint of the
   * client's key. `verify` has then checked the request's proof against it.
   */
  cnf?: { readonly jkt: string };
}

const text = (value: unknown): value is string => typeof value === "string" && value !== "";
const seconds = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);

/**
 * The key a token is bound to: `undefined` for an unbound token, `null` for a `cnf` that binds it
 * to something this verifier cannot check (no `jkt`), which must never pass as unbound.
 */
function confirmation(cnf: unknown): string | undefined | null {
  if (cnf === undefined) return undefined;
  if (typeof cnf !== "object" || cnf === null) return null;
  const { jkt } = cnf as { jkt?: unknown };
  return text(jkt) ? jkt : null;
}

/**
 * The claims of a token jose has verified, or `null` when one is missing or of the wrong type.
 * jose checks presence and `exp`/`nbf`/`iss`/`aud`; the types and `iat` are checked here.
 */
export function verifiedClaims(
  payload: JWTPayload,
  header: ProtectedHeaderParameters,
  notAfter: number,
): VerifiedClaims | null {
  const { sub, sid, jti, iss, aud, iat, exp, amr, cnf } = payload;
  const { kid, alg } = header;
  if (!text(sub) || !text(sid) || !text(jti) || !text(iss) || !text(kid) || !text(alg)) return null;
  if (!seconds(exp) || !seconds(iat)) return null;
  // jose checks `exp` and `nbf` but not an `iat` from the future; a token minted ahead is forged or skewed.
  if (iat > notAfter) return null;
  if (!(typeof aud === "string" || (Array.isArray(aud) && aud.every(text)))) return null;
  // Absent is "nothing proved"; present but malformed is refused, never read as something else.
  if (amr !== undefined && !(Array.isArray(amr) && amr.every(text))) return null;
  const jkt = confirmation(cnf);
  if (jkt === null) return null;
  const claims = { sub, sid, jti, iss, aud, iat, exp, kid, alg: alg as VerifyAlgorithm, amr: Object.freeze([...(amr ?? [])]) };
  return jkt === undefined ? claims : { ...claims, cnf: Object.freeze({ jkt }) };
}
