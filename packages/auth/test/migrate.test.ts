import { asc } from "drizzle-orm";
import { pgTable, text } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { createAuth } from "../src/create-auth.ts";
import { createDatabase } from "../src/database.ts";
import { migrations } from "../src/lib/migrations.generated.ts";
import { migrate } from "../src/migrate.ts";
import { createTestDatabase, TEST_PASSWORD, TEST_SECRET, testBackend, uniqueEmail } from "../src/testing/index.ts";
import { codeOf } from "./codes.ts";

const authMigrations = pgTable("auth_migrations", { name: text("name").primaryKey() });

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
