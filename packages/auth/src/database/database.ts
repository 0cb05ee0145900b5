import { mkdir } from "node:fs/promises";
import type { PGlite, PGliteInterface } from "@electric-sql/pglite";
import { drizzle as drizzlePGlite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { AuthDB } from "./auth-db.ts";
import { openEmbeddedDatabase } from "./open-embedded-database.ts";
import { closeRevocationFeed } from "./revocation-feed.ts";
import * as schema from "./schema.ts";

export interface Database {
  readonly db: AuthDB;
  readonly kind: "postgres" | "pglite";
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A PostgreSQL URL. When absent, an embedded PGlite database is used. */
  url?: string | undefined;
  /** Where PGlite keeps its files; in memory when absent. Ignored with `url`. */
  dataDir?: string | undefined;
  /** A PGlite data directory tarball to start from (see `PGlite.dumpDataDir`). */
  loadDataDir?: Blob | undefined;
  /**
   * An embedded database already opened on `dataDir` (the demo opens it while Next.js prepares):
   * used as it is instead of opening another, and closed by `close()`. Ignored with `url`. Either
   * a `PGlite` or one opened by `openEmbeddedDatabaseOnWorker`.
   */
  pglite?: PGliteInterface | undefined;
  /** Pool size for PostgreSQL. Default 10. */
  maxConnections?: number | undefined;
}

/**
 * Opens the database: PostgreSQL (postgres.js) when `url` is set, otherwise embedded PGlite.
 *
 * @example
 * const database = await createDatabase({ url: env.DATABASE_URL, dataDir: env.PGLITE_DATA_DIR });
 */
export async function createDatabase(options: DatabaseOptions = {}): Promise<Database> {
  if (options.url) {
    const client = postgres(options.url, {
      max: options.maxConnections ?? 10,
      // Fail fast while the server is down, so requests answer 503 promptly instead of hanging.
      connect_timeout: 5,
      idle_timeout: 60,
      // No array-type lookup on connect: our tables have no array columns, and postgres.js
      // 3.4.9 leaves that lookup's promise uncaught, so a connection cut during it became an
      // unhandled rejection, which ends a Node process.
      fetch_types: false,
      onnotice: () => {},
    });
    return {
      db: drizzlePostgres(client, { schema }) as unknown as AuthDB,
      kind: "postgres",
      async close() {
        // The revocation listener has a connection of its own, outside the pool.
        await closeRevocationFeed(client);
        await client.end({ timeout: 5 });
      },
    };
  }
  // PGlite creates its own folder but not the ones above it (a fresh clone has no `.data/`), and
  // accepts one that exists but is empty: so create the folder itself, parents included. The path
  // goes to mkdir as given: wrapped in `resolve()`, it makes Next's file tracer copy the whole
  // repository into the server output.
  if (options.dataDir && !options.pglite) await mkdir(options.dataDir, { recursive: true });
  const client = options.pglite ?? (await openEmbeddedDatabase(options));
  return {
    // Drizzle types its client as the PGlite class, but only calls query and transaction, which
    // a client on a worker thread (embedded-worker-database.ts) has too.
    db: drizzlePGlite(client as PGlite, { schema }) as unknown as AuthDB,
    kind: "pglite",
    async close() {
      await closeRevocationFeed(client);
      await client.close();
    },
  };
}
