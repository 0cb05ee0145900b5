/**
 * A DPoP proof's protected header (RFC 9449 §4.2), parsed, checked and turned into a node:crypto
 * key once per client key: a client signs every proof with one key, so its header segment is the
 * same string on every call, and the import (and the thumbprint's hash) is paid once, not per
 * request.
 */
import { constants, createPublicKey, type KeyObject } from "node:crypto";
import { calculateJwkThumbprint, type JWK } from "jose";

/**
 * The proof algorithms accepted: asymmetric only. A symmetric `alg` (HS*) would need a secret
 * shared with the server, which a proof of possession by definition has not; and `none` proves
 * nothing. Also the `algs` of the `WWW-Authenticate: DPoP` challenge.
 */
export const DPOP_ALGORITHMS = ["ES256", "ES384", "EdDSA", "RS256", "PS256"] as const;
type ProofAlgorithm = (typeof DPOP_ALGORITHMS)[number];

/** A header that passed every check: its key's thumbprint, and how to verify its signature. */
export interface ProofHeader {
  /** RFC 7638 SHA-256 thumbprint of the header's `jwk`. */
  jkt: string;
  /** Unique for the process's life: the signature worker imports each key once. */
  keyId: number;
  key: KeyObject;
  /** `null` for EdDSA. */
  digest: string | null;
  /** node:crypto's verify options besides the key. */
  options: object;
}

let keyIds = 0;

export class ProofHeaderError extends Error {}

/**
 * For each algorithm: the key it needs (so an RSA key never verifies as ECDSA, a P-384 key never
 * as ES256), and what node:crypto is told. ECDSA signatures in a JWS are the raw r‖s (IEEE P1363),
 * not DER; PS256 uses a salt as long as the digest (RFC 7518 §3.5).
 */
const SCHEMES: Record<ProofAlgorithm, { kty: string; crv?: string; digest: string | null; options: object }> = {
  ES256: { kty: "EC", crv: "P-256", digest: "sha256", options: { dsaEncoding: "ieee-p1363" } },
  ES384: { kty: "EC", crv: "P-384", digest: "sha384", options: { dsaEncoding: "ieee-p1363" } },
  EdDSA: { kty: "OKP", crv: "Ed25519", digest: null, options: {} },
  RS256: { kty: "RSA", digest: "sha256", options: { padding: constants.RSA_PKCS1_PADDING } },
  PS256: { kty: "RSA", digest: "sha256", options: { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST } },
};

/** RFC 7518 §3.3: RSA keys under 2048 bits are refused (jose's rule too). */
const MIN_RSA_BITS = 2048;

/** Only the members that define the public key reach the import: nothing private, nothing extra. */
const PUBLIC_MEMBERS: Record<string, readonly string[]> = { EC: ["crv", "x", "y"], OKP: ["crv", "x"], RSA: ["n", "e"] };

const fail = (reason: string): never => {
  throw new ProofHeaderError(reason);
};

/** `typ` compared as a media type: case-insensitive, with or without `application/` (RFC 7515 §4.1.9). */
function isDPoPType(typ: unknown): boolean {
  return typeof typ === "string" && typ.toLowerCase().replace(/^application\//, "") === "dpop+jwt";
}

function importPublicKey(jwk: Record<string, unknown>, alg: ProofAlgorithm): KeyObject {
  const scheme = SCHEMES[alg];
  // A private part (`d`, RSA's primes) means the client leaked its key to every log on the way;
  // an `oct` key is a shared secret, which proves nothing about who holds it.
  if ("d" in jwk || "p" in jwk || "q" in jwk || "k" in jwk || jwk.kty === "oct") fail("the header's jwk must be a public key");
  if (jwk.kty !== scheme.kty || (scheme.crv !== undefined && jwk.crv !== scheme.crv)) fail(`the header's jwk is not a key for ${alg}`);
  const members = Object.fromEntries((PUBLIC_MEMBERS[scheme.kty] ?? []).map((name) => [name, jwk[name]]));
  if (Object.values(members).some((value) => typeof value !== "string")) fail("the header's jwk must be a public key");
  let key: KeyObject;
  try {
    // OpenSSL refuses an EC point that is not on the curve here.
    key = createPublicKey({ key: { kty: scheme.kty, ...members } as never, format: "jwk" });
  } catch {
    return fail("the header's jwk must be a public key");
  }
  if (scheme.kty === "RSA" && (key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) fail(`RSA keys must have at least ${MIN_RSA_BITS} bits`);
  return key;
}

async function parseHeader(segment: string): Promise<ProofHeader> {
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
  } catch {
    return fail("malformed");
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) return fail("malformed");
  const { alg, typ, jwk, crit } = header as Record<string, unknown>;
  // The allowlist before anything else: `none` and every HS* are refused before a key is touched.
  if (typeof alg !== "string" || !(DPOP_ALGORITHMS as readonly string[]).includes(alg)) fail(`alg must be one of ${DPOP_ALGORITHMS.join(", ")}`);
  // So no other JWT (an access token, an ID token) passes as a proof.
  if (!isDPoPType(typ)) fail("typ must be dpop+jwt");
  // RFC 7515 §4.1.11: an extension the verifier does not understand must fail; we understand none.
  if (crit !== undefined) fail("crit is not supported");
  if (typeof jwk !== "object" || jwk === null || Array.isArray(jwk)) return fail("the header's jwk must be a public key");
  const scheme = SCHEMES[alg as ProofAlgorithm];
  const key = importPublicKey(jwk as Record<string, unknown>, alg as ProofAlgorithm);
  const jkt = await calculateJwkThumbprint(jwk as JWK, "sha256");
  return { jkt, keyId: ++keyIds, key, digest: scheme.digest, options: scheme.options };
}

export interface ProofHeaders {
  /** The checked header of a proof's first segment; throws `ProofHeaderError` with the reason. */
  get(segment: string): Promise<ProofHeader>;
}

/**
 * Headers seen before, by their exact segment. At most `max` are kept, the oldest going first,
 * so a flood of new keys costs what it would without the cache; a header that failed is not kept.
 *
 * @example const { jkt, verify } = await createProofHeaders(10_000).get(proof.split(".")[0]);
 */
export function createProofHeaders(max: number): ProofHeaders {
  const headers = new Map<string, Promise<ProofHeader>>();
  return {
    get(segment) {
      let entry = headers.get(segment);
      if (entry) return entry;
      entry = parseHeader(segment);
      entry.catch(() => headers.delete(segment));
      headers.set(segment, entry);
      if (headers.size > max) headers.delete(headers.keys().next().value ?? "");
      return entry;
    },
  };
}
