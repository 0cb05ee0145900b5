import { AuthError } from "../errors.ts";
import { rethrowDatabaseError } from "../database/db-errors.ts";
import type { AuthConfig, DPoPMode } from "../config/options.ts";
import type { DPoPRequest } from "../types.ts";
import { createDPoPNonces } from "./dpop-nonces.ts";
import { type DPoPProofClaims, verifyDPoPProof } from "./dpop-proof.ts";
import { createProofLedger } from "./dpop-replay.ts";

/** The server's DPoP checks under its configured mode, window and nonces. */
export interface DPoPCheck {
  readonly mode: DPoPMode;
  /**
   * A sign-in's (or refresh's) proof: the thumbprint to bind to, or `null` for a bearer session
   * (no proof in `optional` mode, or any request in `off` mode). Throws `DPOP_REQUIRED` when
   * `required` and there is no proof, `DPOP_PROOF_INVALID`, `DPOP_NONCE_REQUIRED`.
   */
  binding(request: DPoPRequest | undefined): Promise<string | null>;
  /** The proof sent with a bound access token (checked with its `ath`): its key's thumbprint. */
  proofFor(request: DPoPRequest | undefined, accessToken: string): Promise<string>;
  /** A fresh `DPoP-Nonce` when nonces are on, otherwise `null`. */
  nonce(): string | null;
}

export function createDPoPCheck(config: AuthConfig): DPoPCheck {
  const { mode, proofWindow, nonce: useNonces } = config.dpop;
  const nonces = useNonces ? createDPoPNonces(config.secret) : null;
  const ledger = createProofLedger(config.db);

  async function check(request: DPoPRequest, accessToken?: string): Promise<string> {
    const now = config.now();
    const claims: DPoPProofClaims = await verifyDPoPProof(request.proof, { htm: request.htm, htu: request.htu, accessToken, now, window: proofWindow });
    // After the signature: only a proof that is otherwise good is asked to come again with a nonce.
    if (nonces && (claims.nonce === undefined || !nonces.accepts(claims.nonce, now))) {
      throw new AuthError("DPOP_NONCE_REQUIRED", "The DPoP proof must carry a current server nonce (DPoP-Nonce).");
    }
    // Last: a proof refused above was never accepted, so it is not remembered either.
    const expiresAt = new Date((claims.iat + proofWindow) * 1000);
    const fresh = await ledger.remember({ jkt: claims.jkt, jti: claims.jti, expiresAt }).catch(rethrowDatabaseError);
    if (!fresh) throw new AuthError("DPOP_PROOF_INVALID", "The DPoP proof is invalid: replayed.");
    return claims.jkt;
  }

  return {
    mode,
    async binding(request) {
      if (mode === "off") return null;
      if (request === undefined) {
        if (mode === "required") throw new AuthError("DPOP_REQUIRED", "A DPoP proof is required.");
        return null;
      }
      return check(request);
    },
    async proofFor(request, accessToken) {
      if (request === undefined) throw new AuthError("DPOP_PROOF_INVALID", "The DPoP proof is invalid: missing.");
      return check(request, accessToken);
    },
    nonce: () => nonces?.issue(config.now()) ?? null,
  };
}
