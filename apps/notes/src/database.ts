import { mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePGlite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema.ts";

/** The drizzle handle both backends share. */
export type NotesDB = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface NotesDatabase {
  readonly db: NotesDB;
  readonly kind: "postgres" | "pglite";
  close(): Promise<void>;
}

export interface NotesDatabaseOptions {
  /** A PostgreSQL URL. When absent, an embedded PGlite database is used. */
  url?: string | undefined;
  /** Where PGlite keeps its files; in memory when absent. Ignored with `url`. */
  dataDir?: string | undefined;
}

/**
 * Opens the notes database: PostgreSQL (postgres.js) when `url` is set, otherwise embedded PGlite.
 *
 * @example const database = await openNotesDatabase({ url: env.NOTES_DATABASE_URL, dataDir: ".data/pglite" });
 */
export async function openNotesDatabase(options: NotesDatabaseOptions = {}): Promise<NotesDatabase> {
  if (options.url) {
    const client = postgres(options.url, {
      max: 10,
      // Fail fast while the server is down, so requests answer 503 promptly instead of hanging.
      connect_timeout: 5,
      idle_timeout: 60,
      // No array-type lookup on connect: a connection cut during it is an unhandled rejection in
      // postgres.js 3.4.9 (see packages/auth/src/database/database.ts), and this table has no arrays.
      fetch_types: false,
      onnotice: () => {},
    });
    return {
      db: drizzlePostgres(client, { schema }) as unknown as NotesDB,
      kind: "postgres",
      close: () => client.end({ timeout: 5 }),
    };
  }
  // PGlite creates its own folder but not the ones above it.
  if (options.dataDir) await mkdir(dirname(resolve(options.dataDir)), { recursive: true });
  const client = await PGlite.create(options.dataDir ? { dataDir: options.dataDir } : {});
  return {
    db: drizzlePGlite(client, { schema }) as unknown as NotesDB,
    kind: "pglite",
    close: () => client.close(),
  };
}
