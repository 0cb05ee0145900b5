/**
 * Checks one DPoP proof (RFC 9449 §4.3): a JWT the client signs with its own key for one
 * request. What it proves is possession of the private key whose public half it embeds; the
 * thumbprint of that key (`jkt`, RFC 7638) is what tokens are bound to.
 */
import { createHash } from "node:crypto";
import { AuthError } from "../errors.ts";
import { checkProofClaims, MAX_PROOF_LENGTH } from "../verify/dpop-proof.ts";
import { createProofHeaders, ProofHeaderError } from "./dpop-proof-header.ts";
import { createSignatureVerifier } from "./signature-worker.ts";

export { DPOP_ALGORITHMS } from "./dpop-proof-header.ts";

// Clients sign every proof with one key: its header is checked and its key imported once, not
// per request. At most 10,000 keys, the oldest going first.
const proofHeaders = createProofHeaders(10_000);
// node:crypto, not WebCrypto (jose): the same OpenSSL check, but on Node 20 crypto.subtle.verify
// costs more main-thread time than the signature itself (per-call algorithm normalization and a
// handoff to the thread pool per call). The worker batches that handoff (docs/dpop.md, "Cost").
const signatures = createSignatureVerifier();

/** Three base64url segments, none empty: a compact JWS. Checked first, because Buffer.from skips characters outside the alphabet instead of refusing them. */
const COMPACT_JWS = /^[\w-]+\.[\w-]+\.[\w-]+$/;

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

export { normalizeHTU as normalizeHtu } from "../verify/dpop-proof.ts";

/**
 * Verifies a DPoP proof for one request and returns its key's thumbprint, `jti` and `iat`.
 * Throws `DPOP_PROOF_INVALID` (with the reason), or `DPOP_NONCE_REQUIRED` when `expected.nonce`
 * is a string the proof does not carry. Replay (`jti` seen before) is the caller's check.
 *
 * @example
 * const { jkt } = await verifyDPoPProof(proof, { htm: "POST", htu: "https://app.example/api/trpc/auth.signin", now: new Date(), window: 60 });
 */
export async function verifyDPoPProof(proof: string, expected: DPoPExpectation): Promise<DPoPProofClaims> {
  if (typeof proof !== "string" || proof.length > MAX_PROOF_LENGTH || !COMPACT_JWS.test(proof)) throw invalid("malformed");
  const headerEnd = proof.indexOf(".");
  const payloadEnd = proof.indexOf(".", headerEnd + 1);
  let header;
  try {
    header = await proofHeaders.get(proof.slice(0, headerEnd));
  } catch (error) {
    if (error instanceof ProofHeaderError) throw invalid(error.message, error);
    throw error;
  }
  const signature = Buffer.from(proof.slice(payloadEnd + 1), "base64url");
  const { keyId, key, digest, options } = header;
  if (!(await signatures.verify({ keyId, key, digest, options, signingInput: proof.slice(0, payloadEnd), signature }))) throw invalid("bad signature");
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(Buffer.from(proof.slice(headerEnd + 1, payloadEnd), "base64url").toString("utf8")) as Record<string, unknown>;
  } catch (error) {
    throw invalid("malformed", error);
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) throw invalid("malformed");
  const ath = expected.accessToken === undefined ? undefined : accessTokenHash(expected.accessToken);
  const { jti, iat, nonce } = checkProofClaims(payload, { method: expected.htm, url: expected.htu, now: expected.now, window: expected.window, ath });
  if (typeof expected.nonce === "string" && nonce !== expected.nonce) {
    throw new AuthError("DPOP_NONCE_REQUIRED", "The DPoP proof must carry the server's nonce.");
  }
  return { jkt: header.jkt, jti, iat, nonce };
}
