import { createHmac } from "node:crypto";
import type { JSONObject, JSONValue } from "./json.ts";

/** The algorithms the API may be configured with; the key is always the raw secret bytes. */
export const HMAC_ALGORITHMS = ["HS256", "HS384", "HS512"] as const;
/** `HS256`, `HS384` or `HS512`. */
export type HMACAlgorithm = (typeof HMAC_ALGORITHMS)[number];

/** A key and algorithm to sign with: the real ones, or an attacker's guess. */
export interface Signer {
  key: Uint8Array | string;
  algorithm: HMACAlgorithm;
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
  return `${header}.${payload}.${hmac(`${header}.${payload}`, signer.key, signer.algorithm)}`;
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
