/**
 * The signature algorithms `createAuth` accepts, and the secret length each needs. An allowlist:
 * options and the environment are both checked against it, and verification pins each key's
 * algorithm, so `none` (or anything unlisted) never gets in.
 */

/** Signature algorithms with a public key: tokens verifiable by anyone holding the JWKS. */
export const ASYMMETRIC_ALGORITHMS = ["ES256", "EdDSA", "RS256"] as const;
export type AsymmetricAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];
/** HMAC algorithms: the key is the shared secret, so only holders of the secret can verify. */
export const HMAC_ALGORITHMS = ["HS256", "HS384", "HS512"] as const;
export type HMACAlgorithm = (typeof HMAC_ALGORITHMS)[number];
/** Every accepted `algorithm`: an allowlist, which is also what verification pins per key. */
export const ALGORITHMS = [...ASYMMETRIC_ALGORITHMS, ...HMAC_ALGORITHMS] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

export const DEFAULT_ALGORITHM: Algorithm = "ES256";

export function isHMAC(algorithm: Algorithm): algorithm is HMACAlgorithm {
  return (HMAC_ALGORITHMS as readonly string[]).includes(algorithm);
}

// RFC 7518 §3.2: an HMAC key must be at least as long as the hash output. With a public-key
// algorithm the secret still derives the refresh, throttle and key-encryption keys: 256 bits.
export const MIN_KEY_BYTES: Readonly<Record<Algorithm, number>> = {
  ES256: 32,
  EdDSA: 32,
  RS256: 32,
  HS256: 32,
  HS384: 48,
  HS512: 64,
};
