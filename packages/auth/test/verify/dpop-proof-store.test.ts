import { describe, expect, it } from "vitest";
import { createDPoPProofStore } from "../../src/verify/dpop-proof-store.ts";

describe("createDPoPProofStore", () => {
  it("accepts a proof once while it is in its window, per key", () => {
    const store = createDPoPProofStore(10);
    expect(store.remember({ jkt: "k1", jti: "a", expiresAt: 160 }, 100)).toBe(true);
    expect(store.remember({ jkt: "k1", jti: "a", expiresAt: 160 }, 150)).toBe(false);
    expect(store.remember({ jkt: "k2", jti: "a", expiresAt: 160 }, 150)).toBe(true);
    expect(store.size).toBe(2);
  });

  it("forgets proofs whose window is over", () => {
    const store = createDPoPProofStore(10);
    store.remember({ jkt: "k", jti: "a", expiresAt: 160 }, 100);
    store.remember({ jkt: "k", jti: "b", expiresAt: 200 }, 100);
    expect(store.remember({ jkt: "k", jti: "c", expiresAt: 220 }, 160)).toBe(true);
    expect(store.size).toBe(2);
  });

  it("holds at most maxProofs, evicting the soonest to expire", () => {
    const store = createDPoPProofStore(3);
    for (const [jti, expiresAt] of [["a", 130], ["b", 110], ["c", 150], ["d", 140]] as const) {
      store.remember({ jkt: "k", jti, expiresAt }, 100);
    }
    expect(store.size).toBe(3);
    expect(store.evicted).toBe(1);
    // b went; the others are still refused.
    expect(store.remember({ jkt: "k", jti: "b", expiresAt: 110 }, 100)).toBe(true);
    expect(store.remember({ jkt: "k", jti: "c", expiresAt: 150 }, 100)).toBe(false);
    expect(store.remember({ jkt: "k", jti: "d", expiresAt: 140 }, 100)).toBe(false);
  });
});
