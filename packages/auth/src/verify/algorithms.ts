/**
 * The algorithms a verifier accepts: asymmetric only. A verifier holds public keys, so an HMAC
 * algorithm could only ever "verify" with a public key used as a shared secret, which anyone can
 * do (the RFC 8725 §2.1 key-confusion attack). `none` is never a signature.
 *
 * @example createVerifier({ ..., algorithms: ["ES256"] })
 */
export const VERIFY_ALGORITHMS = ["ES256", "EdDSA", "RS256"] as const;

export type VerifyAlgorithm = (typeof VERIFY_ALGORITHMS)[number];

/**
 * True for an algorithm name a verifier may accept.
 *
 * @example isVerifyAlgorithm("HS256") // false: a verifier holds no shared secret
 */
export function isVerifyAlgorithm(value: unknown): value is VerifyAlgorithm {
  return (VERIFY_ALGORITHMS as readonly unknown[]).includes(value);
}
