import { lt, sql } from "drizzle-orm";
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
 * pipelines them: the proofs of one event-loop turn go in one INSERT, and while it is in flight
 * the next proofs wait and go together in the next one (at most `maxBatch`). A lone call waits
 * one turn; under load the round trips are shared.
 * The answer still comes from the database: no proof is accepted before its row is in.
 *
 * @example const fresh = await ledger.remember({ jkt, jti, expiresAt }); if (!fresh) throw replayed();
 */
export function createProofLedger(db: AuthDB, { maxBatch = 256 }: { maxBatch?: number } = {}): ProofLedger {
  let queue: { proof: SeenProof; settle: (fresh: boolean) => void; fail: (error: unknown) => void }[] = [];
  let flushing = false;
  // One statement text whatever the batch size (the rows as one JSON parameter), so it is
  // prepared once per connection: the database parses and plans it once, not per call.
  const insert = db
    .insert(dpopProofs)
    .select(
      sql`select jkt, jti, expires_at from jsonb_to_recordset(${sql.placeholder("rows")}::jsonb) as r(jkt text, jti text, expires_at timestamptz)`,
    )
    .onConflictDoNothing()
    .returning({ jkt: dpopProofs.jkt, jti: dpopProofs.jti })
    .prepare("bearer_kit_dpop_remember");

  async function flush(): Promise<void> {
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
        const proofs = [...first.values()].map((entry) => entry.proof);
        const rows = proofs.map((proof) => ({ jkt: proof.jkt, jti: proof.jti, expires_at: proof.expiresAt.toISOString() }));
        const inserted = await insert.execute({ rows: JSON.stringify(rows) });
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
        if (flushing) return;
        flushing = true;
        // One turn of the event loop first: the proofs of requests read in the same turn go together.
        setImmediate(() => void flush());
      });
    },
  };
}

/** Deletes proofs whose `iat` has left the window: they are refused for their age already. Returns how many. */
export async function pruneProofs(db: AuthDB, now: Date): Promise<number> {
  const rows = await db.delete(dpopProofs).where(lt(dpopProofs.expiresAt, now)).returning({ jti: dpopProofs.jti });
  return rows.length;
}
