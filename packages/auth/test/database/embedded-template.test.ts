import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuthFromEnv } from "../../src/create-auth-from-env.ts";
import { copyEmbeddedTemplate } from "../../src/database/copy-embedded-template.ts";
import { embeddedTemplatePath, ensureEmbeddedTemplate, seedEmbeddedDatabase, TEMPLATE_KEY } from "../../src/database/embedded-template.ts";
import { loadAuthEnv } from "../../src/config/env.ts";
import { migrations } from "../../src/database/migrations.generated.ts";
import { testBackend } from "../../src/testing/index.ts";
import { email, PASSWORD } from "../fixture.ts";

async function rowsOf(dataDir: string, query: string): Promise<Record<string, unknown>[]> {
  const client = await PGlite.create({ dataDir });
  try {
    return (await client.query<Record<string, unknown>>(query)).rows;
  } finally {
    await client.close();
  }
}

// The embedded case only: PostgreSQL deployments have no data directory to start from.
describe.runIf(testBackend() === "pglite")("starting an embedded database from the migrated template", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "bk-template-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("a fresh data directory gets every migration and works; the template holds no keys and no users", async () => {
    const env = loadAuthEnv({ PGLITE_DATA_DIR: join(dir, "a", "pglite"), PGLITE_TEMPLATE_DIR: join(dir, "templates") });
    const { auth, database } = await createAuthFromEnv(env, { log: () => {}, keyAdmin: false });
    try {
      expect(existsSync(embeddedTemplatePath(env.PGLITE_TEMPLATE_DIR))).toBe(true);
      const address = email();
      const { user } = await auth.register({ email: address, password: PASSWORD, name: "Ann" });
      const { accessToken } = await auth.signin({ email: address, password: PASSWORD });
      expect(await auth.checkBearerToken(accessToken)).toMatchObject(user);
    } finally {
      await database.close();
    }
    const applied = await rowsOf(env.PGLITE_DATA_DIR, "select name from bearer_kit.auth_migrations order by name");
    expect(applied.map((row) => row.name)).toEqual(migrations.map((migration) => migration.name));
    // Keys and users were made in the copy, never in the template.
    const template = embeddedTemplatePath(env.PGLITE_TEMPLATE_DIR);
    expect(await rowsOf(template, "select count(*)::int as n from bearer_kit.signing_keys")).toEqual([{ n: 0 }]);
    expect(await rowsOf(template, "select count(*)::int as n from bearer_kit.users")).toEqual([{ n: 0 }]);
  });

  // Two initdb runs (~8 s of one core each, far more beside other files): a generous budget.
  it("a template made for other migrations is never used, and is deleted when the current one is built", { timeout: 120_000 }, async () => {
    const templates = join(dir, "stale-templates");
    const stale = await ensureEmbeddedTemplate(templates, "0123456789abcdef");
    const marker = await PGlite.create({ dataDir: stale });
    await marker.exec("create table public.stale_marker (id int)");
    await marker.close();

    const dataDir = join(dir, "b", "pglite");
    expect(await seedEmbeddedDatabase(dataDir, templates)).toBe(true);
    expect(await rowsOf(dataDir, "select to_regclass('public.stale_marker')::text as marker")).toEqual([{ marker: null }]);
    expect(existsSync(embeddedTemplatePath(templates, TEMPLATE_KEY))).toBe(true);
    expect(existsSync(stale)).toBe(false);
  });

  it("leaves a directory that already holds a database alone", async () => {
    const dataDir = join(dir, "c", "pglite");
    const templates = join(dir, "templates");
    expect(await seedEmbeddedDatabase(dataDir, templates)).toBe(true);
    const client = await PGlite.create({ dataDir });
    await client.exec("create table public.mine (id int)");
    await client.close();
    expect(await seedEmbeddedDatabase(dataDir, templates)).toBe(false);
    expect(await rowsOf(dataDir, "select to_regclass('public.mine')::text as mine")).toEqual([{ mine: "mine" }]);
  });

  it("copies the template only into a fresh directory, and only when the template exists: it never builds one", async () => {
    const templates = join(dir, "templates");
    await ensureEmbeddedTemplate(templates);
    const missing = join(dir, "no-templates");
    expect(await copyEmbeddedTemplate(join(dir, "d", "pglite"), missing)).toBe(false);
    expect(existsSync(join(dir, "d"))).toBe(false);
    expect(existsSync(missing)).toBe(false);

    const fresh = join(dir, "e", "pglite");
    expect(await copyEmbeddedTemplate(fresh, templates)).toBe(true);
    const applied = await rowsOf(fresh, "select name from bearer_kit.auth_migrations order by name");
    expect(applied.map((row) => row.name)).toEqual(migrations.map((migration) => migration.name));

    const occupied = join(dir, "f");
    await mkdir(occupied);
    await writeFile(join(occupied, "notes.txt"), "mine");
    expect(await copyEmbeddedTemplate(occupied, templates)).toBe(false);
    expect(await readdir(occupied)).toEqual(["notes.txt"]);
  });
});
