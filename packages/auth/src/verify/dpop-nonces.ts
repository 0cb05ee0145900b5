import { base64url } from "jose";

/** A nonce is issued for a 5-minute step and accepted through the next one: 5 to 10 minutes. */
const STEP_SECONDS = 300;

export interface DPoPNonces {
  /** The nonce of `now`'s step, for a `DPoP-Nonce` header. */
  issue(now: Date): Promise<string>;
  /** True for a nonce of this verifier from `now`'s step or the previous one. */
  accepts(nonce: string, now: Date): Promise<boolean>;
}

/**
 * Stateless server nonces (RFC 9449 §8) for one verifier: `base64url(step || HMAC-SHA256(key,
 * "dpop-nonce" || step))`, the key random and non-extractable, made when the verifier is. No
 * store: any nonce of the current or previous step is accepted, so a proof cannot be signed
 * ahead for later use, while replay within the window is the proof store's job. The key is per
 * process: instances behind one load balancer each accept only their own nonces, and a client
 * refused with `use_dpop_nonce` retries with the one it is handed.
 *
 * @example
 * const nonces = createDPoPNonces();
 * await nonces.accepts(await nonces.issue(new Date()), new Date()); // true
 */
export function createDPoPNonces(): DPoPNonces {
  const key = crypto.subtle.generateKey({ name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  // One MAC per step, computed once: `verify` and `dpopNonce` run on every request.
  const issued = new Map<number, Promise<string>>();
  const stepOf = (now: Date) => Math.floor(now.getTime() / 1000 / STEP_SECONDS);

  function nonceOf(step: number): Promise<string> {
    let nonce = issued.get(step);
    if (nonce) return nonce;
    nonce = (async () => {
      const bytes = new Uint8Array(8);
      new DataView(bytes.buffer).setBigUint64(0, BigInt(step));
      const label = new TextEncoder().encode("dpop-nonce");
      const mac = await crypto.subtle.sign("HMAC", await key, new Uint8Array([...label, ...bytes]));
      return base64url.encode(new Uint8Array([...bytes, ...new Uint8Array(mac)]));
    })();
    issued.set(step, nonce);
    for (const old of issued.keys()) if (old < step - 1) issued.delete(old);
    return nonce;
  }

  return {
    issue: (now) => nonceOf(stepOf(now)),
    async accepts(nonce, now) {
      const step = stepOf(now);
      // A plain comparison: a nonce is no secret (any client is handed one), only unforgeable.
      return nonce === (await nonceOf(step)) || nonce === (await nonceOf(step - 1));
    },
  };
}
