// The public API of @bearer-kit/auth/verify: verification from the issuer's public keys, and
// optionally its revocation feed. Its import graph is jose and pure modules only, fetch being the
// only I/O (see test/verify/import-graph.test.ts).
export { isVerifyAlgorithm, VERIFY_ALGORITHMS, type VerifyAlgorithm } from "./algorithms.ts";
export { createVerifier, type Verifier } from "./create-verifier.ts";
export type { VerifiedClaims } from "./verified-claims.ts";
export type { VerifyRequest } from "./dpop-binding.ts";
export type { DPoPVerifierOptions } from "./dpop-options.ts";
export { DPOP_PROOF_ALGORITHMS, type DPoPRequestProof } from "./dpop-proof.ts";
export type { VerifierOptions } from "./verifier-options.ts";
export type { RevocationOptions } from "./revocation-options.ts";
export { AUTH_ERROR_CODES, AuthError, type AuthErrorCode, isAuthError } from "../errors.ts";
export { type Duration, parseDuration } from "../config/duration.ts";
