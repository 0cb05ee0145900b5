import { describe, expect, it } from "vitest";
import { createAuth } from "../src/create-auth.ts";
import { createDatabase } from "../src/database.ts";
import { migrate } from "../src/migrate.ts";
import { TEST_SECRET, testBackend } from "../src/testing/index.ts";
import { codeOf } from "./codes.ts";
import { useAuth } from "./fixture.ts";

const t = useAuth();

describe("migrate", () => {
  it("is idempotent, and concurrent runs apply nothing twice", async () => {
    const results = await Promise.all([migrate(t.database.db), migrate(t.database.db), migrate(t.database.db)]);
    expect(results).toEqual([[], [], []]);
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
