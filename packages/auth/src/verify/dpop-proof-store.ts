import { ExpiryHeap } from "./expiry-heap.ts";

export interface DPoPProofStore {
  /**
   * Records proof `jti` of key `jkt` until `expiresAt` (seconds); false when it is recorded
   * already: a replay. `now` in seconds.
   */
  remember(proof: { jkt: string; jti: string; expiresAt: number }, now: number): boolean;
  /** Proofs held. */
  readonly size: number;
  /** Proofs dropped so far because the store was full. */
  readonly evicted: number;
}

/**
 * The proofs a verifier has accepted, each until its `iat` leaves the window (after which the
 * window refuses it anyway). Per process: a proof replayed to another instance of the service is
 * not seen here, which a short window bounds, and server nonces (`requireNonce`) bound further.
 * At most `maxProofs`: past it the proof that would expire soonest goes, as it has the least
 * replay time left; `evicted` counts them.
 *
 * @example
 * const store = createDPoPProofStore(100_000);
 * store.remember({ jkt, jti, expiresAt: iat + 60 }, now); // true, then false for the same proof
 */
export function createDPoPProofStore(maxProofs: number): DPoPProofStore {
  const expiries = new Map<string, number>();
  const heap = new ExpiryHeap();
  let evicted = 0;

  function prune(now: number): void {
    for (let top = heap.peek(); top && top.expiresAt <= now; top = heap.peek()) {
      heap.pop();
      if (expiries.get(top.key) === top.expiresAt) expiries.delete(top.key);
    }
    while (expiries.size > maxProofs) {
      const node = heap.pop();
      if (!node) break;
      if (expiries.get(node.key) !== node.expiresAt) continue;
      expiries.delete(node.key);
      evicted += 1;
    }
  }

  return {
    remember({ jkt, jti, expiresAt }, now) {
      prune(now);
      // A space cannot occur in a thumbprint (base64url), so the key is unambiguous.
      const key = `${jkt} ${jti}`;
      const held = expiries.get(key);
      if (held !== undefined && held > now) return false;
      expiries.set(key, expiresAt);
      heap.push({ key, expiresAt });
      prune(now);
      return true;
    },
    get size() {
      return expiries.size;
    },
    get evicted() {
      return evicted;
    },
  };
}
