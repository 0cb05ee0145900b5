import { type AuthError, DPOP_PROOF_ALGORITHMS } from "@bearer-kit/auth/verify";
import type { AuthorizationToken } from "./authorization-token.ts";

const ALGS = `algs="${DPOP_PROOF_ALGORITHMS.join(" ")}"`;

/**
 * The `WWW-Authenticate` challenge of a 401, as the web app's API answers, so a client can tell
 * "sign in" from "sign a proof again":
 * - no token: a bare `Bearer` (RFC 6750 §3);
 * - a refused proof: `DPoP error="invalid_dpop_proof"`; a missing or stale nonce:
 *   `DPoP error="use_dpop_nonce"`, the caller adding `DPoP-Nonce` (RFC 9449 §7.1, §9);
 * - a refused token: `error="invalid_token"` in the scheme it came with (a bound token sent as
 *   Bearer, too: the scheme is what was wrong, and the token is not used either way).
 *
 * @example authChallenge({ scheme: "DPoP", token }, error) // 'DPoP error="invalid_dpop_proof", algs="ES256 ES384 EdDSA RS256 PS256"'
 */
export function authChallenge(presented: AuthorizationToken | null, error: AuthError): string {
  if (presented === null) return "Bearer";
  if (error.code === "DPOP_PROOF_INVALID") return `DPoP error="invalid_dpop_proof", ${ALGS}`;
  if (error.code === "DPOP_NONCE_REQUIRED") return `DPoP error="use_dpop_nonce", ${ALGS}`;
  if (presented.scheme === "DPoP") return `DPoP error="invalid_token", ${ALGS}`;
  return 'Bearer error="invalid_token"';
}
