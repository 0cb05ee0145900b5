import { sql } from "drizzle-orm";
import type { AuthDB } from "./auth-db.ts";
import { migrations } from "./migrations.generated.ts";
import { AUTH_SCHEMA, bearerKit } from "./schema.ts";

// Arbitrary constant shared by every instance of this package: the advisory lock's name.
const MIGRATION_LOCK_KEY = 4_217_733_091;

const authMigrations = bearerKit.table("auth_migrations", (t) => ({
  name: t.text("name").primaryKey(),
  appliedAt: t.timestamp("applied_at", { withTimezone: true }).notNull(),
}));

/**
 * Applies the package's migrations that are not applied yet; safe to call at every start.
 *
 * It runs in one transaction under a transaction-scoped advisory lock, so two instances
 * starting together apply each migration exactly once, and a failed start leaves nothing half-done.
 * Everything lives in the `bearer_kit` schema, the list of applied migrations included.
 *
 * @example await migrate(database.db);
 */
export async function migrate(db: AuthDB): Promise<string[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql.raw(`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`));
    await tx.execute(sql.raw(`create schema if not exists ${AUTH_SCHEMA}`));
    // Installs from before the schema move kept the applied list in public.auth_migrations: it
    // moves with them, or they would replay 0000 and create a second, empty set of tables.
    // Checked with a plain select, not a DO block: on PGlite the first PL/pgSQL statement loads
    // and links the language, tens of milliseconds of every start for a move made once.
    const [legacy] = await tx
      .select({
        found: sql<boolean>`to_regclass(${`${AUTH_SCHEMA}.auth_migrations`}) is null and to_regclass('public.auth_migrations') is not null`,
      })
      .from(sql`(select 1) as one`);
    if (legacy?.found) await tx.execute(sql.raw(`alter table public.auth_migrations set schema ${AUTH_SCHEMA}`));
    await tx.execute(
      sql.raw(`create table if not exists ${AUTH_SCHEMA}.auth_migrations (name text primary key, applied_at timestamptz not null)`),
    );
    const applied = new Set((await tx.select({ name: authMigrations.name }).from(authMigrations)).map((r) => r.name));
    const pending = migrations.filter((migration) => !applied.has(migration.name));
    // Unqualified names in the migrations resolve to our schema only, never to the host's public.
    await tx.execute(sql.raw(`set local search_path to ${AUTH_SCHEMA}`));
    for (const migration of pending) {
      for (const statement of migration.sql.split("--> statement-breakpoint")) {
        if (statement.trim()) await tx.execute(sql.raw(statement));
      }
      await tx.insert(authMigrations).values({ name: migration.name, appliedAt: new Date() });
    }
    return pending.map((migration) => migration.name);
  });
}

