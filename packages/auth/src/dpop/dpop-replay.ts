import { lt } from "drizzle-orm";
import type { AuthDB } from "../database/auth-db.ts";
import { dpopProofs } from "../database/schema.ts";

export interface SeenProof {
  jkt: string;
  jti: string;
  expiresAt: Date;
}

/** Records accepted proofs; see `createProofLedger`. */
export interface ProofLedger {
  /** Records a proof; false when its `(jkt, jti)` was recorded before: a replay. */
  remember(proof: SeenProof): Promise<boolean>;
}

/**
 * The seen proofs, in the database, not in memory, so a proof replayed to another instance is
 * refused too (an in-memory store, as some libraries use, is per process). The primary key
 * decides a race: of two instances given the same proof at once, exactly one inserts.
 *
 * One INSERT per proof would put a database round trip on every DPoP call, so the ledger
 * pipelines them: while one INSERT is in flight the next proofs wait and go together in the next
 * one (at most `maxBatch`). A lone call waits for nothing; under load the round trips are shared.
 * The answer still comes from the database: no proof is accepted before its row is in.
 *
 * @example const fresh = await ledger.remember({ jkt, jti, expiresAt }); if (!fresh) throw replayed();
 */
export function createProofLedger(db: AuthDB, { maxBatch = 256 }: { maxBatch?: number } = {}): ProofLedger {
  let queue: { proof: SeenProof; settle: (fresh: boolean) => void; fail: (error: unknown) => void }[] = [];
  let flushing = false;

  async function flush(): Promise<void> {
    flushing = true;
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      // The same proof twice in one batch: the first is the one recorded, the rest are replays.
      const first = new Map<string, (typeof batch)[number]>();
      for (const entry of batch) {
        const key = `${entry.proof.jkt} ${entry.proof.jti}`;
        if (first.has(key)) entry.settle(false);
        else first.set(key, entry);
      }
      try {
        const inserted = await db
          .insert(dpopProofs)
          .values([...first.values()].map((entry) => entry.proof))
          .onConflictDoNothing()
          .returning({ jkt: dpopProofs.jkt, jti: dpopProofs.jti });
        const fresh = new Set(inserted.map((row) => `${row.jkt} ${row.jti}`));
        for (const [key, entry] of first) entry.settle(fresh.has(key));
      } catch (error) {
        for (const entry of first.values()) entry.fail(error);
      }
    }
    flushing = false;
  }

  return {
    remember(proof) {
      return new Promise((settle, fail) => {
        queue.push({ proof, settle, fail });
        if (!flushing) void flush();
      });
    },
  };
}

/** Deletes proofs whose `iat` has left the window: they are refused for their age already. Returns how many. */
export async function pruneProofs(db: AuthDB, now: Date): Promise<number> {
  const rows = await db.delete(dpopProofs).where(lt(dpopProofs.expiresAt, now)).returning({ jti: dpopProofs.jti });
  return rows.length;
}
