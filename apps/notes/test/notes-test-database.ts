import { randomBytes } from "node:crypto";
import { testBackend, testDatabaseUrl } from "@bearer-kit/auth/testing";
import postgres from "postgres";
import { type NotesDatabase, openNotesDatabase } from "../src/database.ts";
import { migrateNotes } from "../src/migrate.ts";

/**
 * A fresh, migrated notes database for one test file, on the backend `TEST_BACKEND` names:
 * in-memory PGlite, or a new database on the real PostgreSQL server, dropped again by `close()`.
 */
export async function createNotesTestDatabase(options: { migrated?: boolean } = {}): Promise<NotesDatabase> {
  const migrated = options.migrated ?? true;
  if (testBackend() === "pglite") {
    const database = await openNotesDatabase();
    if (migrated) await migrateNotes(database.db);
    return database;
  }
  const url = new URL(testDatabaseUrl());
  const name = `bk_notes_test_${randomBytes(6).toString("hex")}`;
  const admin = () => postgres(url.toString(), { max: 1, onnotice: () => {} });
  const creator = admin();
  await creator.unsafe(`create database ${name}`).finally(() => creator.end());
  const own = new URL(url);
  own.pathname = `/${name}`;
  const database = await openNotesDatabase({ url: own.toString() });
  if (migrated) await migrateNotes(database.db);
  return {
    ...database,
    async close() {
      await database.close();
      const dropper = admin();
      await dropper.unsafe(`drop database if exists ${name} with (force)`).finally(() => dropper.end());
    },
  };
}
