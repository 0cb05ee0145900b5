import type { Duration } from "../config/duration.ts";
import { type NumericSetting, optionSetting } from "../config/settings.ts";

/**
 * `createVerifier`'s `dpop` option: how proofs sent with DPoP-bound tokens (RFC 9449) are checked.
 * Bound tokens are checked with or without it; it only tunes the checks.
 *
 * @example
 * dpop: { proofWindow: 30, requireNonce: true }
 */
export interface DPoPVerifierOptions {
  /** How far a proof's `iat` may be from this service's clock. Default 60 s, 10 s to 5 minutes. */
  proofWindow?: Duration;
  /**
   * Proofs remembered (against replay) at most; past it the one that would expire soonest goes.
   * Default 100,000.
   */
  maxProofs?: number;
  /**
   * Proofs must carry a nonce from `verifier.dpopNonce()` (this step's or the previous one's);
   * otherwise `verify` throws `DPOP_NONCE_REQUIRED`. Default `false`.
   */
  requireNonce?: boolean;
}

export interface DPoPVerifierConfig {
  /** Seconds. */
  proofWindow: number;
  maxProofs: number;
  requireNonce: boolean;
}

/** The DPoP checks' tunables, with the issuer's own `AUTH_DPOP_PROOF_WINDOW` range. */
export const DPOP_VERIFIER_SETTINGS = {
  proofWindow: { env: "", option: "dpop.proofWindow", kind: "duration", default: 60, min: 10, max: 300 },
  maxProofs: { env: "", option: "dpop.maxProofs", kind: "count", default: 100_000, min: 1, max: 10_000_000 },
} as const satisfies Record<string, NumericSetting>;

const setting = (spec: NumericSetting, value: unknown): number => optionSetting(spec, value, "verifier");

/** Fills defaults and refuses misconfiguration with a `TypeError` naming the option. */
export function resolveDPoPVerifierOptions(options: DPoPVerifierOptions = {}): DPoPVerifierConfig {
  if (options.requireNonce !== undefined && typeof options.requireNonce !== "boolean") {
    throw new TypeError("verifier: `dpop.requireNonce` must be a boolean");
  }
  return {
    proofWindow: setting(DPOP_VERIFIER_SETTINGS.proofWindow, options.proofWindow),
    maxProofs: setting(DPOP_VERIFIER_SETTINGS.maxProofs, options.maxProofs),
    requireNonce: options.requireNonce === true,
  };
}
