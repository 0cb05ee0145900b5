/**
 * Checks one DPoP proof (RFC 9449 §4.3): a JWT the client signs with its own key for one
 * request. What it proves is possession of the private key whose public half it embeds; the
 * thumbprint of that key (`jkt`, RFC 7638) is what tokens are bound to.
 */
import { createHash } from "node:crypto";
import { decodeProtectedHeader, errors, jwtVerify } from "jose";
import { createDPoPProofKeys } from "../verify/dpop-proof-keys.ts";
import { AuthError } from "../errors.ts";

/**
 * The proof algorithms accepted: asymmetric only. A symmetric `alg` (HS*) would need a secret
 * shared with the server, which a proof of possession by definition has not; and `none` proves
 * nothing. Also the `algs` of the `WWW-Authenticate: DPoP` challenge.
 */
export const DPOP_ALGORITHMS = ["ES256", "ES384", "EdDSA", "RS256", "PS256"] as const;

// Clients sign every proof with one key: importing it (and hashing its thumbprint) once per key,
// not per request, is most of a proof's cost. Public keys only, each used only for the exact JWK
// and alg it was imported from; at most 10,000, the oldest going first.
const proofKeys = createDPoPProofKeys(10_000);

/** Longer than any proof a client makes (an RSA-4096 `jwk` is under 1 KB); refused before parsing. */
const MAX_PROOF_LENGTH = 8192;
const MAX_JTI_LENGTH = 256;

/** What the request the proof came with must match. */
export interface DPoPExpectation {
  /** The request's method, e.g. `POST`. */
  htm: string;
  /** The request's URL as the server knows it (never built from the Host header). */
  htu: string;
  /** The access token sent with the proof: its hash must be the proof's `ath`. */
  accessToken?: string;
  /** When a string: the nonce the proof must carry. Stateless nonces are checked by the caller (`nonce` in the result). */
  nonce?: string | null;
  now: Date;
  /** Seconds the proof's `iat` may be off from `now`. */
  window: number;
}

export interface DPoPProofClaims {
  /** RFC 7638 SHA-256 thumbprint of the proof's public key. */
  jkt: string;
  jti: string;
  iat: number;
  /** The proof's `nonce` claim, if it has one. */
  nonce: string | undefined;
}

const invalid = (reason: string, cause?: unknown) => new AuthError("DPOP_PROOF_INVALID", `The DPoP proof is invalid: ${reason}.`, { cause });

/**
 * base64url(SHA-256(ASCII token)): the `ath` claim a proof sent with an access token carries.
 *
 * @example accessTokenHash("eyJ...") // "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo"
 */
export function accessTokenHash(accessToken: string): string {
  return createHash("sha256").update(accessToken, "ascii").digest("base64url");
}

/**
 * The form `htu` is compared in (RFC 9449 §4.3 and RFC 3986 §6): no query or fragment, scheme
 * and host lower-case, the default port dropped. `null` for something that is not an http(s) URL.
 *
 * @example normalizeHtu("HTTPS://Example.com:443/api/trpc/auth.refresh?batch=1") // "https://example.com/api/trpc/auth.refresh"
 */
export function normalizeHtu(value: string): string | null {
  const url = URL.parse(value);
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) return null;
  // URL already lower-cases scheme and host and drops a default port.
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/**
 * Verifies a DPoP proof for one request and returns its key's thumbprint, `jti` and `iat`.
 * Throws `DPOP_PROOF_INVALID` (with the reason), or `DPOP_NONCE_REQUIRED` when `expected.nonce`
 * is a string the proof does not carry. Replay (`jti` seen before) is the caller's check.
 *
 * @example
 * const { jkt } = await verifyDPoPProof(proof, { htm: "POST", htu: "https://app.example/api/trpc/auth.signin", now: new Date(), window: 60 });
 */
export async function verifyDPoPProof(proof: string, expected: DPoPExpectation): Promise<DPoPProofClaims> {
  if (typeof proof !== "string" || proof.length > MAX_PROOF_LENGTH) throw invalid("malformed");
  let header;
  try {
    header = decodeProtectedHeader(proof);
  } catch (error) {
    throw invalid("malformed", error);
  }
  const jwk = header.jwk;
  // The embedded key must be a public key: a private part (`d`, or RSA's primes) in a header
  // means the client leaked its key to everything that logs requests, and an `oct` key is a
  // shared secret, which proves nothing about who holds it.
  if (!jwk || typeof jwk !== "object" || jwk.kty === "oct" || "d" in jwk || "p" in jwk || "k" in jwk) {
    throw invalid("the header's jwk must be a public key");
  }
  // The allowlist before anything else: `none` and every HS* are refused before a key is touched.
  const alg = header.alg;
  if (typeof alg !== "string" || !(DPOP_ALGORITHMS as readonly string[]).includes(alg)) {
    throw invalid("alg must be one of " + DPOP_ALGORITHMS.join(", "));
  }
  let imported;
  try {
    imported = await proofKeys.get(jwk, alg);
  } catch (error) {
    throw invalid("the header's jwk must be a public key", error);
  }
  let payload;
  try {
    // The signature is checked with the embedded key (imported once per client key, see
    // proofKeys), under the allowlist only, and a `typ` other than `dpop+jwt` is refused (so no
    // other JWT passes as a proof).
    ({ payload } = await jwtVerify(proof, imported.key, { typ: "dpop+jwt", algorithms: [alg] }));
  } catch (error) {
    if (error instanceof errors.JOSEAlgNotAllowed) throw invalid("alg must be one of " + DPOP_ALGORITHMS.join(", "), error);
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === "typ") throw invalid("typ must be dpop+jwt", error);
    throw invalid("bad signature or shape", error);
  }
  const { jti, htm, htu, iat, ath, nonce } = payload;
  if (typeof jti !== "string" || jti.length === 0 || jti.length > MAX_JTI_LENGTH) throw invalid("jti must be a string of at most 256 characters");
  if (htm !== expected.htm) throw invalid("htm is not this request's method");
  if (typeof htu !== "string" || normalizeHtu(htu) === null || normalizeHtu(htu) !== normalizeHtu(expected.htu)) {
    throw invalid("htu is not this request's URL");
  }
  const now = expected.now.getTime() / 1000;
  if (typeof iat !== "number" || Math.abs(now - iat) > expected.window) throw invalid("iat is outside the accepted window");
  if (expected.accessToken !== undefined) {
    if (typeof ath !== "string") throw invalid("ath is required with an access token");
    if (ath !== accessTokenHash(expected.accessToken)) throw invalid("ath does not match the access token");
  }
  if (nonce !== undefined && typeof nonce !== "string") throw invalid("nonce must be a string");
  if (typeof expected.nonce === "string" && nonce !== expected.nonce) {
    throw new AuthError("DPOP_NONCE_REQUIRED", "The DPoP proof must carry the server's nonce.");
  }
  return { jkt: imported.jkt, jti, iat, nonce };
}
