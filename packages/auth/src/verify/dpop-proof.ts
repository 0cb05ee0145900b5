// One DPoP proof (RFC 9449 §4.3), checked as a service that only verifies tokens does: jose and
// WebCrypto only, so it runs in edge runtimes too. The issuer's own check (src/dpop/) is the
// same list of rules; this one leaves replay and nonces to its caller.
import { base64url, decodeProtectedHeader, errors, jwtVerify } from "jose";
import { AuthError } from "../errors.ts";
import type { DPoPProofKeys, ProofKey } from "./dpop-proof-keys.ts";

/**
 * The proof algorithms a verifier accepts: asymmetric only. An HS* proof would need a secret the
 * service shares with the client, which a proof of possession has not; `none` proves nothing.
 * Also the `algs` of the `WWW-Authenticate: DPoP` challenge.
 *
 * @example res.setHeader("WWW-Authenticate", `DPoP error="invalid_dpop_proof", algs="${DPOP_PROOF_ALGORITHMS.join(" ")}"`)
 */
export const DPOP_PROOF_ALGORITHMS = ["ES256", "ES384", "EdDSA", "RS256", "PS256"] as const;

/** Longer than any proof a client makes (an RSA-4096 `jwk` is under 1 KB); refused before parsing. */
export const MAX_PROOF_LENGTH = 8192;
const MAX_JTI_LENGTH = 256;

/** The request a proof came with, as this service knows it. */
export interface DPoPRequestProof {
  /** The `DPoP` header's value. */
  proof: string;
  /** The request method, e.g. `GET`. */
  method: string;
  /** The request URL as the service is reached publicly (never built from the Host header). */
  url: string | URL;
}

export interface CheckedDPoPProof {
  /** RFC 7638 SHA-256 thumbprint of the proof's key. */
  jkt: string;
  jti: string;
  iat: number;
  nonce: string | undefined;
}

const invalid = (reason: string, cause?: unknown) =>
  new AuthError("DPOP_PROOF_INVALID", `The DPoP proof is invalid: ${reason}.`, { cause });

/**
 * base64url(SHA-256(ASCII token)): the `ath` a proof sent with an access token must carry.
 *
 * @example await accessTokenHash("eyJ...") // "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo"
 */
export async function accessTokenHash(accessToken: string): Promise<string> {
  // An access token is a JWS, ASCII only, so UTF-8 is its ASCII encoding.
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(accessToken));
  return base64url.encode(new Uint8Array(digest));
}

/**
 * The form `htu` is compared in (RFC 9449 §4.3, RFC 3986 §6): no query or fragment, scheme and
 * host lower-case, no default port. `null` for anything but an http(s) URL.
 *
 * @example normalizeHTU("HTTPS://Notes.example:443/notes?x=1") // "https://notes.example/notes"
 */
export function normalizeHTU(value: string | URL): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  // URL lower-cases scheme and host and drops a default port by itself.
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/**
 * Verifies a proof's form, signature, `htm`, `htu`, `iat` and `ath` for one request, and returns
 * its key's thumbprint. Throws `DPOP_PROOF_INVALID` with the reason. Replay, the nonce and the
 * thumbprint's match with the token's `cnf.jkt` are the caller's checks.
 *
 * @example
 * const { jkt } = await checkDPoPProof({ proof, method: "GET", url }, { accessToken, now: new Date(), window: 60, keys });
 */
export async function checkDPoPProof(
  request: DPoPRequestProof,
  expected: { accessToken: string; now: Date; window: number; keys: DPoPProofKeys },
): Promise<CheckedDPoPProof> {
  const { proof } = request;
  if (typeof proof !== "string" || proof === "" || proof.length > MAX_PROOF_LENGTH) throw invalid("malformed");
  let header;
  try {
    header = decodeProtectedHeader(proof);
  } catch (error) {
    throw invalid("malformed", error);
  }
  const { jwk, alg } = header;
  // A public key only: a private part in a header means the key leaked to every log on the way,
  // and an `oct` key is a shared secret, which proves nothing about who holds it.
  if (!jwk || typeof jwk !== "object" || jwk.kty === "oct" || "d" in jwk || "p" in jwk || "k" in jwk) {
    throw invalid("the header's jwk must be a public key");
  }
  // The allowlist before any import: `none` and HS* never reach a key.
  if (typeof alg !== "string" || !(DPOP_PROOF_ALGORITHMS as readonly string[]).includes(alg)) {
    throw invalid(`alg must be one of ${DPOP_PROOF_ALGORITHMS.join(", ")}`);
  }
  let proofKey: ProofKey;
  try {
    proofKey = await expected.keys.get(jwk, alg);
  } catch (error) {
    throw invalid("the header's jwk must be a public key", error);
  }
  let payload;
  try {
    // Signed by the embedded key under the allowlist: jose refuses `none`, HS* and any `typ` but
    // dpop+jwt, so no other JWT (an access token, say) passes as a proof.
    ({ payload } = await jwtVerify(proof, proofKey.key, { typ: "dpop+jwt", algorithms: [...DPOP_PROOF_ALGORITHMS] }));
  } catch (error) {
    if (error instanceof errors.JOSEAlgNotAllowed) throw invalid(`alg must be one of ${DPOP_PROOF_ALGORITHMS.join(", ")}`, error);
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === "typ") throw invalid("typ must be dpop+jwt", error);
    throw invalid("bad signature or shape", error);
  }
  const ath = await accessTokenHash(expected.accessToken);
  return { jkt: proofKey.jkt, ...checkProofClaims(payload, { method: request.method.toUpperCase(), url: request.url, now: expected.now, window: expected.window, ath }) };
}

/** What a proof's claims must match: the request, the clock, and the access token's hash. */
export interface ProofClaimExpectation {
  /** The request method, upper-case: the proof's `htm`. */
  method: string;
  /** The request URL as the service is reached publicly: the proof's `htu`, compared normalized. */
  url: string | URL;
  now: Date;
  /** Seconds the proof's `iat` may be off from `now`. */
  window: number;
  /** The `ath` the proof must carry (the access token's hash), or undefined without a token. */
  ath?: string;
}

/**
 * The claim checks of RFC 9449 §4.3 on a proof whose signature is already verified: `jti`, `htm`,
 * `htu`, `iat` within the window, `ath` when a token came with it, and a string `nonce` if any.
 * The issuer's check (src/dpop/) and a verifier's both use it. Throws `DPOP_PROOF_INVALID`.
 *
 * @example const { jti, iat } = checkProofClaims(payload, { method: "GET", url, now: new Date(), window: 60, ath });
 */
export function checkProofClaims(payload: Record<string, unknown>, expected: ProofClaimExpectation): { jti: string; iat: number; nonce: string | undefined } {
  const { jti, htm, htu, iat, ath, nonce } = payload;
  if (typeof jti !== "string" || jti === "" || jti.length > MAX_JTI_LENGTH) throw invalid("jti must be a string of at most 256 characters");
  if (typeof htm !== "string" || htm !== expected.method) throw invalid("htm is not this request's method");
  const target = normalizeHTU(expected.url);
  // Equal to the normalized target already (the usual case) needs no second parse.
  if (typeof htu !== "string" || target === null || (htu !== target && normalizeHTU(htu) !== target)) throw invalid("htu is not this request's URL");
  if (typeof iat !== "number" || !Number.isFinite(iat) || Math.abs(expected.now.getTime() / 1000 - iat) > expected.window) {
    throw invalid("iat is outside the accepted window");
  }
  if (expected.ath !== undefined) {
    if (typeof ath !== "string") throw invalid("ath is required with an access token");
    if (ath !== expected.ath) throw invalid("ath does not match the access token");
  }
  if (nonce !== undefined && typeof nonce !== "string") throw invalid("nonce must be a string");
  return { jti, iat, nonce };
}
