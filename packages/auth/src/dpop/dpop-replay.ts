import { lt } from "drizzle-orm";
import type { AuthDB } from "../database/auth-db.ts";
import { dpopProofs } from "../database/schema.ts";

/**
 * Records an accepted proof; false when its `(jkt, jti)` was recorded before: a replay.
 * In the database, not in memory, so a proof replayed to another instance is refused too
 * (an in-memory store, as some libraries use, is per process). The primary key decides a race:
 * of two instances given the same proof at once, exactly one inserts.
 */
export async function rememberProof(db: AuthDB, proof: { jkt: string; jti: string; expiresAt: Date }): Promise<boolean> {
  const rows = await db.insert(dpopProofs).values(proof).onConflictDoNothing().returning({ jti: dpopProofs.jti });
  return rows.length > 0;
}

/** Deletes proofs whose `iat` has left the window: they are refused for their age already. Returns how many. */
export async function pruneProofs(db: AuthDB, now: Date): Promise<number> {
  const rows = await db.delete(dpopProofs).where(lt(dpopProofs.expiresAt, now)).returning({ jti: dpopProofs.jti });
  return rows.length;
}
