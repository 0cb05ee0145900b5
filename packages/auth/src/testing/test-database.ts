import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { drizzle } from "drizzle-orm/pglite";
import postgres from "postgres";
import type { AuthDB } from "../database/auth-db.ts";
import { createDatabase, type Database } from "../database/database.ts";
import { migrations } from "../database/migrations.generated.ts";
import { migrate } from "../database/migrate.ts";
import { openEmbeddedDatabase, openEmbeddedDatabaseOnWorker } from "../database/open-embedded-database.ts";
import { testBackend, testDatabaseUrl, testEmbeddedThread } from "./env.ts";

/**
 * A fresh, migrated database of its own for one test file, on the backend `TEST_BACKEND` names.
 * With `migrated: false` it is empty: no table of this package, for testing `migrate` itself.
 *
 * - PGlite: loaded from a migrated template (about 1 s) rather than initialised (about 8 s).
 *   The template is built once per migration set and shared by every worker through a file.
 *   With `TEST_EMBEDDED_THREAD=worker`, it runs on a worker thread (`openEmbeddedDatabaseOnWorker`).
 * - PostgreSQL: a new database on the real server, dropped again by `close()`.
 */
export async function createTestDatabase({ migrated = true }: { migrated?: boolean } = {}): Promise<Database> {
  return testBackend() === "postgres" ? createPostgresDatabase(migrated) : createPGliteDatabase(migrated);
}

async function createPGliteDatabase(migrated: boolean): Promise<Database> {
  const options = migrated ? { loadDataDir: await pgliteTemplate() } : {};
  if (testEmbeddedThread() === "worker") return createDatabase({ pglite: await openEmbeddedDatabaseOnWorker(options) });
  return createDatabase(options);
}

async function pgliteTemplate(): Promise<Blob> {
  const version = createHash("sha256").update(JSON.stringify(migrations)).digest("hex").slice(0, 16);
  const file = join(tmpdir(), "bearer-kit-test", `pglite-template-${version}.tar`);
  try {
    return new Blob([new Uint8Array(await readFile(file))]);
  } catch {
    const client = await openEmbeddedDatabase();
    await migrate(drizzle(client) as unknown as AuthDB);
    const dump = await client.dumpDataDir("none");
    await client.close();
    await mkdir(join(tmpdir(), "bearer-kit-test"), { recursive: true });
    // Write then rename: workers racing to build the template never read a half-written file.
    const partial = `${file}.${randomBytes(4).toString("hex")}`;
    await writeFile(partial, new Uint8Array(await dump.arrayBuffer()));
    await rename(partial, file);
    return dump;
  }
}

async function createPostgresDatabase(migrated: boolean): Promise<Database> {
  const url = new URL(testDatabaseUrl());
  const name = `bk_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(url.toString(), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  url.pathname = `/${name}`;
  const database = await createDatabase({ url: url.toString(), maxConnections: 25 });
  if (migrated) await migrate(database.db);
  return {
    ...database,
    async close() {
      await database.close();
      const cleanup = postgres(testDatabaseUrl(), { max: 1, onnotice: () => {} });
      try {
        await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}
