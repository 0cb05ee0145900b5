import { sql } from "drizzle-orm";
import type { NotesDB } from "./database.ts";

// Arbitrary constant, distinct from the auth package's: the advisory lock's name.
const MIGRATION_LOCK_KEY = 4_217_733_092;

/**
 * Creates the notes table when it is missing; safe on every start. One table, so plain
 * idempotent DDL, under a transaction-scoped advisory lock: two instances starting together on
 * PostgreSQL would otherwise race on `create table if not exists` (a unique violation in pg_type).
 *
 * @example await migrateNotes(database.db);
 */
export async function migrateNotes(db: NotesDB): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql.raw(`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`));
    await tx.execute(sql`
      create table if not exists notes (
        id uuid primary key default gen_random_uuid(),
        user_id text not null,
        text text not null,
        created_at timestamptz not null default now()
      )`);
    await tx.execute(sql`create index if not exists notes_user_id_created_at_idx on notes (user_id, created_at)`);
  });
}
