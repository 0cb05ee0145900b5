import { sql } from "drizzle-orm";
import { pgTable, text, timestamp } from "drizzle-orm/pg-core";
import type { AuthDB } from "./database.ts";
import { migrations } from "./lib/migrations.generated.ts";

// Arbitrary constant shared by every instance of this package: the advisory lock's name.
const MIGRATION_LOCK_KEY = 4_217_733_091;

const authMigrations = pgTable("auth_migrations", {
  name: text("name").primaryKey(),
  appliedAt: timestamp("applied_at", { withTimezone: true }).notNull(),
});

/**
 * Applies the package's migrations that are not applied yet; safe to call at every start.
 *
 * It runs in one transaction under a transaction-scoped advisory lock, so two instances
 * starting together apply each migration exactly once, and a failed start leaves nothing half-done.
 *
 * @example await migrate(database.db);
 */
export async function migrate(db: AuthDB): Promise<string[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql.raw(`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`));
    await tx.execute(
      sql`create table if not exists auth_migrations (name text primary key, applied_at timestamptz not null)`,
    );
    const applied = new Set((await tx.select({ name: authMigrations.name }).from(authMigrations)).map((r) => r.name));
    const pending = migrations.filter((migration) => !applied.has(migration.name));
    for (const migration of pending) {
      for (const statement of migration.sql.split("--> statement-breakpoint")) {
        if (statement.trim()) await tx.execute(sql.raw(statement));
      }
      await tx.insert(authMigrations).values({ name: migration.name, appliedAt: new Date() });
    }
    return pending.map((migration) => migration.name);
  });
}
