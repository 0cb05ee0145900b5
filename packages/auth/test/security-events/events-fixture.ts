import { asc, eq, sql } from "drizzle-orm";
import type { Database } from "../../src/database/database.ts";
import { securityEvents } from "../../src/database/schema.ts";

/** What the log holds for a user, oldest first (by type within one instant): the rows themselves, read past the service. */
export async function eventsOf(database: Database, userId: string) {
  return database.db.select().from(securityEvents).where(eq(securityEvents.userId, userId)).orderBy(asc(securityEvents.createdAt), asc(securityEvents.type));
}

/** The types in the log for a user, oldest first. */
export async function typesOf(database: Database, userId: string): Promise<string[]> {
  return (await eventsOf(database, userId)).map((event) => event.type);
}

/**
 * Makes the database refuse the statements `when` names for the rest of a test (a real error
 * inside the service's transaction, raised by PostgreSQL itself), and returns the undo.
 * `table` is a table of the bearer_kit schema; `when` a trigger condition on NEW.
 */
export async function failInserts(database: Database, table: string, when: string): Promise<() => Promise<void>> {
  const name = `test_fail_${table}`;
  await database.db.execute(
    sql.raw(`CREATE OR REPLACE FUNCTION bearer_kit.${name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'test: refused insert into ${table}'; END $$`),
  );
  await database.db.execute(sql.raw(`CREATE TRIGGER ${name} BEFORE INSERT ON bearer_kit.${table} FOR EACH ROW WHEN (${when}) EXECUTE FUNCTION bearer_kit.${name}()`));
  return async () => {
    await database.db.execute(sql.raw(`DROP TRIGGER ${name} ON bearer_kit.${table}`));
  };
}
