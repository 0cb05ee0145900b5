import { asc, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createAuth } from "../../src/create-auth.ts";
import { createDatabase, type Database } from "../../src/database/database.ts";
import { migrations } from "../../src/database/migrations.generated.ts";
import { migrate } from "../../src/database/migrate.ts";
import { bearerKit } from "../../src/database/schema.ts";
import { createTestDatabase, TEST_PASSWORD, TEST_SECRET, testBackend, uniqueEmail } from "../../src/testing/index.ts";
import { codeOf } from "../codes.ts";
import { email, PASSWORD, useAuth } from "../fixture.ts";

const t = useAuth();
const authMigrations = bearerKit.table("auth_migrations", (c) => ({ name: c.text("name").primaryKey() }));

async function query(database: Database, text: string): Promise<Record<string, unknown>[]> {
  const result: unknown = await database.db.execute(sql.raw(text));
  return Array.isArray(result) ? (result as Record<string, unknown>[]) : (result as { rows: Record<string, unknown>[] }).rows;
}

const exists = async (database: Database, name: string) =>
  (await query(database, `select to_regclass('${name}') is not null as present`))[0]?.present === true;

/** A database as the package left it before the schema move: 0000 and 0001 applied in public. */
async function oldInstall(database: Database): Promise<void> {
  await query(database, "drop schema bearer_kit cascade");
  for (const migration of migrations.slice(0, 2)) {
    for (const statement of migration.sql.split("--> statement-breakpoint")) {
      if (statement.trim()) await query(database, statement);
    }
  }
  await query(database, "create table public.auth_migrations (name text primary key, applied_at timestamptz not null)");
  await query(database, "insert into public.auth_migrations values ('0000_init', now()), ('0001_throttles', now())");
}

describe("migrate", () => {
  // On PostgreSQL the runs share a pool, so each transaction has a connection of its own and
  // only the advisory lock keeps them from creating the same tables at once. PGlite is one
  // connection that runs transactions one at a time, so there this checks the bookkeeping only.
  it("on an empty database, concurrent runs apply each migration exactly once", async () => {
    const database = await createTestDatabase({ migrated: false });
    try {
      const results = await Promise.all(Array.from({ length: 6 }, () => migrate(database.db)));
      const all = migrations.map((migration) => migration.name);
      expect(results.filter((applied) => applied.length > 0)).toEqual([all]);
      expect(results.filter((applied) => applied.length === 0)).toHaveLength(5);
      expect(await migrate(database.db)).toEqual([]);

      const rows = await database.db.select().from(authMigrations).orderBy(asc(authMigrations.name));
      expect(rows.map((row) => row.name)).toEqual(all);
      const auth = createAuth({ db: database.db, secret: TEST_SECRET });
      await expect(auth.register({ email: uniqueEmail(), password: TEST_PASSWORD, name: "Ann" })).resolves.toBeDefined();
    } finally {
      await database.close();
    }
  });

  it("keeps every table in the bearer_kit schema and none in public", async () => {
    for (const table of ["users", "sessions", "refresh_tokens", "throttles", "signing_keys", "auth_migrations"]) {
      expect(await exists(t.database, `bearer_kit.${table}`), table).toBe(true);
      expect(await exists(t.database, `public.${table}`), table).toBe(false);
    }
  });
});

describe("the move to the bearer_kit schema", () => {
  it("moves an existing install's tables, rows and applied list, and the service runs on them", async () => {
    const database = await createTestDatabase();
    try {
      await oldInstall(database);
      const address = email();
      await query(
        database,
        `insert into public.users values ('00000000-0000-4000-8000-000000000001', '${address}', 'Old', 'x', now(), now())`,
      );

      // The move, then whatever came after it; never the two the old install had.
      expect(await migrate(database.db)).toEqual(migrations.map((m) => m.name).filter((name) => name >= "0002"));
      expect(await exists(database, "public.users")).toBe(false);
      expect(await exists(database, "public.auth_migrations")).toBe(false);
      expect(await query(database, "select email from bearer_kit.users")).toEqual([{ email: address }]);
      expect((await query(database, "select name from bearer_kit.auth_migrations order by name")).map((r) => r.name)).toEqual(
        migrations.map((m) => m.name),
      );
      expect(await migrate(database.db)).toEqual([]);

      const auth = createAuth({ db: database.db, secret: TEST_SECRET });
      const { accessToken } = await auth.register({ email: email(), password: PASSWORD, name: "New" });
      expect(await auth.checkBearerToken(accessToken)).not.toBeNull();
    } finally {
      await database.close();
    }
  });

  it("never touches a host app's own public.users on a fresh install", async () => {
    const database = await createTestDatabase();
    try {
      await query(database, "drop schema bearer_kit cascade");
      await query(database, "create table public.users (id serial primary key, handle text not null)");
      await query(database, "insert into public.users (handle) values ('host-row')");

      expect(await migrate(database.db)).toEqual(migrations.map((m) => m.name));
      expect(await query(database, "select handle from public.users")).toEqual([{ handle: "host-row" }]);
      const auth = createAuth({ db: database.db, secret: TEST_SECRET });
      const { accessToken } = await auth.register({ email: email(), password: PASSWORD, name: "Ann" });
      expect(await auth.checkBearerToken(accessToken)).not.toBeNull();
      expect(await query(database, "select count(*)::int as n from bearer_kit.users")).toEqual([{ n: 1 }]);
    } finally {
      await database.close();
    }
  });
});

describe.runIf(testBackend() === "postgres")("an unreachable database", () => {
  it("fails fast with DATABASE_UNAVAILABLE rather than an internal error", async () => {
    const database = await createDatabase({ url: "postgres://postgres@127.0.0.1:1/none" });
    const auth = createAuth({ db: database.db, secret: TEST_SECRET });
    const started = Date.now();
    expect(await codeOf(auth.signin({ email: "a@example.com", password: "whatever1" }))).toBe("DATABASE_UNAVAILABLE");
    expect(await codeOf(auth.register({ email: "a@example.com", password: "whatever1", name: "A" }))).toBe(
      "DATABASE_UNAVAILABLE",
    );
    expect(await codeOf(auth.refresh("A".repeat(43)))).toBe("DATABASE_UNAVAILABLE");
    expect(Date.now() - started).toBeLessThan(5_000);
    await database.close();
  });
});
