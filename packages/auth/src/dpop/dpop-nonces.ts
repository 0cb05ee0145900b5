import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";

/** A nonce's life is one step plus the rest of the current one: 5 to 10 minutes. */
const STEP_SECONDS = 300;
const LABEL = "bearer-kit dpop-nonce";

export interface DPoPNonces {
  /** A nonce for `DPoP-Nonce`, valid in this step and the next. */
  issue(now: Date): string;
  /** True for a nonce issued (by any instance sharing the secret) in this step or the previous one. */
  accepts(nonce: string, now: Date): boolean;
}

/**
 * Stateless server nonces (RFC 9449 §8): `base64url(step || HMAC(key, "dpop-nonce" || step))`,
 * the step being the 5-minute period of issue. No table and no coordination: every instance
 * derives the same key from the secret, so one that never issued a nonce still accepts it. The
 * trade-off: a nonce is reusable within its 5 to 10 minutes, so it bounds how far ahead a proof
 * can be made (a proof signed today for tomorrow is refused), while replay within the window is
 * the `dpop_proofs` table's job.
 *
 * @example const nonces = createDPoPNonces(config.secret); headers.set("DPoP-Nonce", nonces.issue(new Date()));
 */
export function createDPoPNonces(secret: Uint8Array): DPoPNonces {
  // A key of its own: a nonce can never be mistaken for any other MAC made with the secret.
  const key = new Uint8Array(hkdfSync("sha256", secret, new Uint8Array(0), LABEL, 32));
  const stepOf = (now: Date) => Math.floor(now.getTime() / 1000 / STEP_SECONDS);

  function mac(step: number): Buffer {
    const bytes = Buffer.alloc(8);
    bytes.writeBigUInt64BE(BigInt(step));
    return Buffer.concat([bytes, createHmac("sha256", key).update("dpop-nonce").update(bytes).digest()]);
  }

  return {
    issue: (now) => mac(stepOf(now)).toString("base64url"),
    accepts(nonce, now) {
      const presented = Buffer.from(nonce, "base64url");
      if (presented.length !== 40) return false;
      const step = Number(presented.readBigUInt64BE(0));
      const current = stepOf(now);
      if (step !== current && step !== current - 1) return false;
      // Constant-time: the MAC is secret-derived.
      return timingSafeEqual(presented, mac(step));
    },
  };
}
