import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase } from "../../src/database/database.ts";
import { openEmbeddedDatabase } from "../../src/database/open-embedded-database.ts";
import { testBackend } from "../../src/testing/index.ts";

async function sharedBuffers(execute: () => Promise<unknown>): Promise<string | undefined> {
  const result = (await execute()) as { rows: { shared_buffers: string }[] };
  return result.rows[0]?.shared_buffers;
}

// The embedded database only: a PostgreSQL server's memory is its operator's to set.
describe.runIf(testBackend() === "pglite")("the embedded database's settings", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "bk-embedded-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("runs with a 16 MB buffer pool however it is opened: by the API, or early by a host that hands it over", async () => {
    const dataDir = join(dir, "pglite");
    const created = await createDatabase({ dataDir });
    try {
      // PostgreSQL's default of 128 MB made every open zero 112 MB more, and kept it.
      expect(await sharedBuffers(() => created.db.execute(sql`show shared_buffers`))).toBe("16MB");
    } finally {
      await created.close();
    }

    const early = await openEmbeddedDatabase({ dataDir });
    const handedOver = await createDatabase({ dataDir, pglite: early });
    try {
      expect(await sharedBuffers(() => handedOver.db.execute(sql`show shared_buffers`))).toBe("16MB");
    } finally {
      await handedOver.close();
    }
  });
});
