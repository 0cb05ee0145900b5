import { AuthError } from "../errors.ts";
import type { DPoPVerifierConfig } from "./dpop-options.ts";
import { createDPoPNonces } from "./dpop-nonces.ts";
import { checkDPoPProof, type DPoPRequestProof } from "./dpop-proof.ts";
import { createDPoPProofKeys } from "./dpop-proof-keys.ts";
import { createDPoPProofStore } from "./dpop-proof-store.ts";

/** How a token was presented: its `Authorization` scheme and, for DPoP, the request's proof. */
export interface VerifyRequest {
  /** Default `"DPoP"` when `dpop` is given, else `"Bearer"`. */
  scheme?: "Bearer" | "DPoP";
  /** The `DPoP` header and the request it came with. */
  dpop?: DPoPRequestProof;
}

export interface DPoPBinding {
  /**
   * Checks that a verified token was presented as it must be: a bound one (`jkt`) with the DPoP
   * scheme and a fresh proof of that key, an unbound one as Bearer.
   */
  check(token: { token: string; jkt: string | undefined; now: Date }, request: VerifyRequest | undefined): Promise<void>;
  /** A nonce for `DPoP-Nonce`. */
  nonce(now: Date): Promise<string>;
}

/**
 * The DPoP side of a verifier (RFC 9449 §7): scheme, proof, replay, nonce and key match.
 *
 * @example
 * const binding = createDPoPBinding(resolveDPoPVerifierOptions({}));
 * await binding.check({ token, jkt: claims.cnf?.jkt, now: new Date() }, { dpop: { proof, method: "GET", url } });
 */
export function createDPoPBinding(config: DPoPVerifierConfig): DPoPBinding {
  const proofs = createDPoPProofStore(config.maxProofs);
  const nonces = createDPoPNonces();
  // Clients, not proofs: a verifier sees about as many keys as it has signed-in devices calling.
  const keys = createDPoPProofKeys(10_000);

  return {
    async check({ token, jkt, now }, request) {
      const scheme = request?.scheme ?? (request?.dpop ? "DPoP" : "Bearer");
      // A stolen bound token must not work as cash: bound means DPoP, every time (§7.1).
      if (jkt !== undefined && scheme !== "DPoP") {
        throw new AuthError("TOKEN_INVALID", "The access token is DPoP-bound: send it with the DPoP scheme and a proof.");
      }
      // And an unbound token sent as DPoP is a client confused about what it holds (§7.1).
      if (jkt === undefined) {
        if (scheme === "DPoP") throw new AuthError("TOKEN_INVALID", "The access token is not DPoP-bound: send it as Bearer.");
        return;
      }
      if (!request?.dpop) throw new AuthError("DPOP_PROOF_INVALID", "The DPoP proof is invalid: missing.");
      const proof = await checkDPoPProof(request.dpop, { accessToken: token, now, window: config.proofWindow, keys });
      if (proof.jkt !== jkt) throw new AuthError("DPOP_PROOF_INVALID", "The DPoP proof is invalid: signed by another key than the token's.");
      // After the signature: only an otherwise good proof is asked to come again with a nonce.
      if (config.requireNonce && (proof.nonce === undefined || !(await nonces.accepts(proof.nonce, now)))) {
        throw new AuthError("DPOP_NONCE_REQUIRED", "The DPoP proof must carry a current nonce (DPoP-Nonce).");
      }
      // Last: a refused proof was never accepted, so it is not remembered either.
      const seconds = now.getTime() / 1000;
      if (!proofs.remember({ jkt, jti: proof.jti, expiresAt: proof.iat + config.proofWindow }, seconds)) {
        throw new AuthError("DPOP_PROOF_INVALID", "The DPoP proof is invalid: replayed.");
      }
    },
    nonce: (now) => nonces.issue(now),
  };
}
