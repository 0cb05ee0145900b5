import type { JsonWebKey } from "node:crypto";
import { ASYMMETRIC_ALGORITHMS, type AsymmetricAlgorithm } from "./forge.ts";

/** One public key a deployment publishes, with the algorithm it signs. */
export interface PublishedKey {
  kid: string;
  algorithm: AsymmetricAlgorithm;
  jwk: JsonWebKey;
}

const JWKS_PATH = "/.well-known/jwks.json";

function isAsymmetric(value: unknown): value is AsymmetricAlgorithm {
  return (ASYMMETRIC_ALGORITHMS as readonly unknown[]).includes(value);
}

/** A key's algorithm: its `alg`, else what its type implies (a JWKS may leave `alg` out). */
function algorithmOf(jwk: JsonWebKey & { alg?: unknown }): AsymmetricAlgorithm | null {
  if (jwk.alg !== undefined) return isAsymmetric(jwk.alg) ? jwk.alg : null;
  if (jwk.kty === "EC" && jwk.crv === "P-256") return "ES256";
  if (jwk.kty === "OKP" && jwk.crv === "Ed25519") return "EdDSA";
  return jwk.kty === "RSA" ? "RS256" : null;
}

function toKey(value: unknown): PublishedKey | null {
  if (typeof value !== "object" || value === null) return null;
  const jwk = value as JsonWebKey & { alg?: unknown; kid?: unknown };
  const algorithm = algorithmOf(jwk);
  return typeof jwk.kid === "string" && algorithm ? { kid: jwk.kid, algorithm, jwk } : null;
}

/**
 * The keys the deployment publishes at `/.well-known/jwks.json`, in its order (bearer-kit lists
 * the key that signs first). Empty for a deployment that signs with a shared secret (HS*): an
 * HMAC key is never published. Throws when there is no JWKS to read, naming the URL.
 *
 * @example const [current] = await fetchPublishedKeys("http://localhost:3000"); current?.algorithm // "ES256"
 */
export async function fetchPublishedKeys(origin: string): Promise<PublishedKey[]> {
  const url = `${origin}${JWKS_PATH}`;
  let body: unknown;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(15_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    body = await response.json();
  } catch (error) {
    const why = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    throw new Error(`cannot read the deployment's JWKS at ${url} (${why}); is --url the app's origin?`, { cause: error });
  }
  const keys = typeof body === "object" && body !== null && "keys" in body ? body.keys : null;
  if (!Array.isArray(keys)) throw new Error(`${url} is not a JWKS (no "keys" array)`);
  const published = keys.flatMap((key: unknown) => toKey(key) ?? []);
  // Not read as "no keys, so HS*": that would forge every token with the wrong algorithm.
  if (published.length < keys.length) throw new Error(`${url} lists a key without a kid or of an algorithm other than ${ASYMMETRIC_ALGORITHMS.join(", ")}`);
  return published;
}
