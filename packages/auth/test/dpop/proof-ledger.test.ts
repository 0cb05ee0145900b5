// The seen-proof ledger pipelines its INSERTs: under load many proofs share one round trip, and
// still each is accepted exactly once, whichever batch or instance it reaches.
import { describe, expect, it } from "vitest";
import { createProofLedger } from "../../src/dpop/dpop-replay.ts";
import { useAuth } from "../fixture.ts";

const t = useAuth();
const proof = (jti: string, jkt = "key-a") => ({ jkt, jti, expiresAt: new Date(t.clock.now().getTime() + 60_000) });

describe("the DPoP proof ledger", () => {
  it("accepts 200 proofs sent at once, each once", async () => {
    const ledger = createProofLedger(t.database.db, { maxBatch: 32 });
    const answers = await Promise.all(Array.from({ length: 200 }, (_, index) => ledger.remember(proof(`many-${index}`))));
    expect(answers.every(Boolean)).toBe(true);
  });

  it("of the same proof sent 20 times at once, accepts exactly one, in one batch or across batches", async () => {
    for (const maxBatch of [256, 3]) {
      const ledger = createProofLedger(t.database.db, { maxBatch });
      const answers = await Promise.all(Array.from({ length: 20 }, () => ledger.remember(proof(`same-${maxBatch}`))));
      expect(answers.filter(Boolean)).toHaveLength(1);
    }
  });

  it("refuses a proof another instance recorded, and tells keys apart", async () => {
    const one = createProofLedger(t.database.db);
    const two = createProofLedger(t.database.db);
    expect(await one.remember(proof("shared"))).toBe(true);
    expect(await two.remember(proof("shared"))).toBe(false);
    expect(await two.remember(proof("shared", "key-b"))).toBe(true);
  });
});
