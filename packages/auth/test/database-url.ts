import { sql } from "drizzle-orm";
import type { Database } from "../src/database/database.ts";
import { testDatabaseUrl } from "../src/testing/index.ts";

/** The URL of a PostgreSQL test database, for opening another pool on it (another "process"). */
export async function databaseUrl(database: Database): Promise<string> {
  // postgres.js answers with the rows themselves.
  const [row] = (await database.db.execute(sql`select current_database() as name`)) as unknown as { name: string }[];
  const url = new URL(testDatabaseUrl());
  url.pathname = `/${row?.name ?? ""}`;
  return url.toString();
}
