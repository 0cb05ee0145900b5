import { createHash, createHmac, generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import type { JSONObject, JSONValue } from "./json.ts";

/** The shared-secret algorithms; the key is the raw secret bytes. */
export const HMAC_ALGORITHMS = ["HS256", "HS384", "HS512"] as const;
/** `HS256`, `HS384` or `HS512`. */
export type HMACAlgorithm = (typeof HMAC_ALGORITHMS)[number];
/** The public-key algorithms; the suite then needs the server's private key (`--private-key`). */
export const ASYMMETRIC_ALGORITHMS = ["ES256", "EdDSA", "RS256"] as const;
export type AsymmetricAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];
/** Every algorithm the API may be configured with. */
export const ALGORITHMS = [...ASYMMETRIC_ALGORITHMS, ...HMAC_ALGORITHMS] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

export function isHMAC(algorithm: Algorithm): algorithm is HMACAlgorithm {
  return (HMAC_ALGORITHMS as readonly string[]).includes(algorithm);
}

/**
 * A key and algorithm to sign with: the real ones, or an attacker's guess. For a public-key
 * algorithm, a key that is not a private `KeyObject` (a guessed string) stands for "some other
 * key": a fresh key pair of the right type signs instead.
 */
export interface Signer {
  key: Uint8Array | string | KeyObject;
  algorithm: Algorithm;
}

function isKeyObject(key: Signer["key"]): key is KeyObject {
  return typeof key === "object" && !(key instanceof Uint8Array);
}

function someOtherKey(algorithm: AsymmetricAlgorithm): KeyObject {
  if (algorithm === "ES256") return generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
  if (algorithm === "EdDSA") return generateKeyPairSync("ed25519").privateKey;
  return generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
}

/** The JWS signature of `signingInput` under `signer`, base64url-encoded (raw node:crypto). */
export function signature(signingInput: string, signer: Signer): string {
  if (isHMAC(signer.algorithm)) {
    const key = isKeyObject(signer.key) ? new Uint8Array(0) : signer.key;
    return hmac(signingInput, key, signer.algorithm);
  }
  const key = isKeyObject(signer.key) ? signer.key : someOtherKey(signer.algorithm);
  const data = Buffer.from(signingInput);
  if (signer.algorithm === "EdDSA") return sign(null, data, key).toString("base64url");
  // JWS wants ECDSA signatures as r || s (IEEE P1363), not DER.
  return sign("sha256", data, { key, dsaEncoding: "ieee-p1363" }).toString("base64url");
}

/** RFC 7638 thumbprint of a private key's public half: the `kid` the server gives that key. */
export function thumbprint(key: KeyObject): string {
  const jwk = key.export({ format: "jwk" });
  const members: Record<string, string | undefined> =
    jwk.kty === "EC" ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y } : jwk.kty === "OKP" ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x } : { e: jwk.e, kty: jwk.kty, n: jwk.n };
  return createHash("sha256").update(JSON.stringify(members)).digest("base64url");
}

/**
 * Unpadded base64url (RFC 7515 §2) of bytes, or of a string's UTF-8.
 *
 * @example base64url('{"alg":"none"}') // "eyJhbGciOiJub25lIn0"
 */
export function base64url(input: Uint8Array | string): string {
  return Buffer.from(input).toString("base64url");
}

/** A JOSE segment: base64url of the value's JSON. */
export function encodeSegment(value: JSONValue): string {
  return base64url(JSON.stringify(value));
}

/**
 * HMAC over a JWS signing input, base64url-encoded. Raw `node:crypto`, so keys that JWT libraries
 * refuse to use (the empty key, a 6-byte "secret") can still be tried against the server.
 *
 * @example hmac("eyJ...eyJ...", "", "HS256")
 */
export function hmac(signingInput: string, key: Uint8Array | string, algorithm: HMACAlgorithm): string {
  return createHmac(`sha${algorithm.slice(2)}`, key).update(signingInput).digest("base64url");
}

/**
 * Signs already-encoded segments, so malformed ones (bad JSON, bad UTF-8) get a valid signature.
 *
 * @example signSegments(base64url("{not json"), encodeSegment(claims), signer)
 */
export function signSegments(header: string, payload: string, signer: Signer): string {
  return `${header}.${payload}.${signature(`${header}.${payload}`, signer)}`;
}

/**
 * Builds a compact JWS by hand from any JSON header and payload: nothing is validated, which
 * is the point (`alg: null`, unknown `crit`, claims of the wrong type).
 *
 * @example signJWT({ alg: "HS256", typ: "at+jwt" }, { sub: 1 }, { key: secret, algorithm: "HS256" })
 */
export function signJWT(header: JSONObject, payload: JSONObject, signer: Signer): string {
  return signSegments(encodeSegment(header), encodeSegment(payload), signer);
}

/** A token's three segments, and its header and payload parsed. */
export interface DecodedJWT {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  segments: [string, string, string];
}

function decodeObject(segment: string, what: string): Record<string, unknown> {
  const value: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`the ${what} is not a JSON object`);
  return { ...value };
}

/**
 * Splits and parses a token the server issued (no verification).
 *
 * @example decodeJWT(accessToken).payload.sid
 */
export function decodeJWT(token: string): DecodedJWT {
  const [header, payload, signature, ...rest] = token.split(".");
  if (header === undefined || payload === undefined || signature === undefined || rest.length > 0) {
    throw new Error(`not a compact JWS: ${token.slice(0, 40)}...`);
  }
  return { header: decodeObject(header, "header"), payload: decodeObject(payload, "payload"), segments: [header, payload, signature] };
}

/** The local clock in JWT seconds; the suite and a local server share it. */
export function epochSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
