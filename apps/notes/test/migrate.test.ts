import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import type { NotesDatabase } from "../src/database.ts";
import { migrateNotes } from "../src/migrate.ts";
import { createNotesTestDatabase } from "./notes-test-database.ts";

let database: NotesDatabase | undefined;
afterEach(async () => {
  await database?.close();
  database = undefined;
});

describe("migrateNotes", () => {
  it("creates the table once when six instances start together, and again is a no-op", async () => {
    database = await createNotesTestDatabase({ migrated: false });
    const { db } = database;
    // On PostgreSQL each run takes its own pooled connection: without the advisory lock two
    // `create table if not exists` collide on pg_type's unique index.
    await Promise.all(Array.from({ length: 6 }, () => migrateNotes(db)));
    await migrateNotes(db);
    const tables = await db.execute(sql`select count(*)::int as count from pg_tables where tablename = 'notes'`);
    const rows = (Array.isArray(tables) ? tables : (tables as { rows: unknown[] }).rows) as { count: number }[];
    expect(rows[0]?.count).toBe(1);
  });
});
