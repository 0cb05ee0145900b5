// The demo's start script opens an existing embedded database while Next.js prepares and hands it
// to createAuthFromEnv (`pglite`), instead of the two running one after the other. The service
// must run on that very client: migrated, used, and closed with it.
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuthFromEnv } from "../src/create-auth-from-env.ts";
import { loadAuthEnv } from "../src/config/env.ts";
import { migrations } from "../src/database/migrations.generated.ts";
import { openEmbeddedDatabase, openEmbeddedDatabaseOnWorker } from "../src/database/open-embedded-database.ts";
import { testBackend } from "../src/testing/index.ts";
import { email, PASSWORD } from "./fixture.ts";

// The embedded case only: with DATABASE_URL there is nothing to open early.
describe.runIf(testBackend() === "pglite")("createAuthFromEnv on an embedded database the caller opened", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "bk-opened-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("migrates and serves on that client, never opens or seeds another, and closes it", { timeout: 60_000 }, async () => {
    const env = loadAuthEnv({ PGLITE_DATA_DIR: join(dir, "pglite"), PGLITE_TEMPLATE_DIR: join(dir, "templates") });
    // Opened as the start script opens it: with the settings the API would use itself.
    const client = await openEmbeddedDatabase({ dataDir: env.PGLITE_DATA_DIR });
    const { auth, database } = await createAuthFromEnv(env, { log: () => {}, keyAdmin: false, pglite: Promise.resolve(client) });
    try {
      expect((await client.query("show shared_buffers")).rows).toEqual([{ shared_buffers: "16MB" }]);
      const applied = await client.query<{ name: string }>("select name from bearer_kit.auth_migrations order by name");
      expect(applied.rows.map((row) => row.name)).toEqual(migrations.map((migration) => migration.name));
      const { user } = await auth.register({ email: email(), password: PASSWORD, name: "Ann" });
      const stored = await client.query<{ id: string }>("select id from bearer_kit.users");
      expect(stored.rows).toEqual([{ id: user.id }]);
      // Seeding from the template is for a directory nobody opened yet: it never ran.
      expect(existsSync(env.PGLITE_TEMPLATE_DIR)).toBe(false);
    } finally {
      await auth.close();
      await database.close();
    }
    expect(client.closed).toBe(true);
  });

  it("runs on a database opened on a worker thread, as the demo's restart does, and says so", { timeout: 60_000 }, async () => {
    const env = loadAuthEnv({ PGLITE_DATA_DIR: join(dir, "on-worker"), PGLITE_TEMPLATE_DIR: join(dir, "templates") });
    const client = await openEmbeddedDatabaseOnWorker({ dataDir: env.PGLITE_DATA_DIR });
    const lines: string[] = [];
    const { auth, database } = await createAuthFromEnv(env, { log: (line) => lines.push(line), keyAdmin: false, pglite: Promise.resolve(client) });
    try {
      expect(lines).toContain(`auth: using embedded PGlite at ${env.PGLITE_DATA_DIR} (opened during start-up, on a worker thread)`);
      const { user } = await auth.register({ email: email(), password: PASSWORD, name: "Ann" });
      await expect(auth.register({ email: user.email, password: PASSWORD, name: "Ann" })).rejects.toMatchObject({ code: "EMAIL_TAKEN" });
      const stored = await client.query<{ id: string }>("select id from bearer_kit.users");
      expect(stored.rows).toEqual([{ id: user.id }]);
    } finally {
      await auth.close();
      await database.close();
    }
    expect(client.closed).toBe(true);
  });

  it("fails with the opening's own error when it failed", async () => {
    const env = loadAuthEnv({ PGLITE_DATA_DIR: join(dir, "unopenable"), PGLITE_TEMPLATE_DIR: join(dir, "templates") });
    const failed = Promise.reject(new Error("the data directory is damaged"));
    await expect(createAuthFromEnv(env, { log: () => {}, keyAdmin: false, pglite: failed })).rejects.toThrow("the data directory is damaged");
  });
});
