import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDatabase } from "../../src/database/database.ts";
import { testBackend } from "../../src/testing/index.ts";

describe.runIf(testBackend() === "pglite")("createDatabase (PGlite)", () => {
  it("creates missing parent folders of the data directory, as on a fresh clone", async () => {
    const root = await mkdtemp(join(tmpdir(), "bk-fresh-"));
    const dataDir = join(root, "nested", ".data", "pglite");
    const database = await createDatabase({ dataDir });
    await database.close();
    expect((await stat(dataDir)).isDirectory()).toBe(true);
    await rm(root, { recursive: true, force: true });
  });

  it("runs the embedded database with a 16 MB buffer pool, not PostgreSQL's 128 MB, which every open zeroes", async () => {
    const database = await createDatabase();
    try {
      const shown = (await database.db.execute(sql`show shared_buffers`)) as unknown as { rows: unknown[] };
      expect(shown.rows).toEqual([{ shared_buffers: "16MB" }]);
    } finally {
      await database.close();
    }
  });
});
