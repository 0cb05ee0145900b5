/**
 * A migrated, empty PGlite data directory that fresh embedded databases are copied from.
 *
 * PGlite's initdb is most of an embedded first start (seconds on a small machine); copying a
 * ready directory is a plain file copy, after which PGlite resumes it like a restart.
 *
 * - The template's name carries a hash of the migrations, so a change to them makes a new one,
 *   and a stale template is never used. `migrate` still runs on every start, as it does anyway.
 * - It holds no secret and no key: it is built from initdb and the migrations alone, before any
 *   `createAuth`, and the embedded secret lives outside every data directory.
 * - It lives in a folder of the operator's choosing (`PGLITE_TEMPLATE_DIR`), never in a shared
 *   temporary folder, where another user could plant a database with their own rows in it.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { drizzle } from "drizzle-orm/pglite";
import type { AuthDB } from "./auth-db.ts";
import { copyEmbeddedTemplate, embeddedTemplatePath, hasDatabase, isFreshDataDir, publish, TEMPLATE_KEY, TEMPLATE_PREFIX } from "./copy-embedded-template.ts";
import { migrate } from "./migrate.ts";
import { openEmbeddedDatabase } from "./open-embedded-database.ts";
import * as schema from "./schema.ts";

export { embeddedTemplatePath, TEMPLATE_KEY } from "./copy-embedded-template.ts";

/**
 * Builds the template for the current migrations unless it exists, and deletes templates of
 * other migrations. Returns its path. Safe to run from several processes at once: each builds
 * in a folder of its own and the first to rename it into place wins.
 *
 * @example await ensureEmbeddedTemplate(".data/pglite-templates"); // at build time
 */
export async function ensureEmbeddedTemplate(templateDir: string, key: string = TEMPLATE_KEY): Promise<string> {
  const target = embeddedTemplatePath(templateDir, key);
  if (hasDatabase(target)) return target;
  await mkdir(templateDir, { recursive: true });
  const partial = `${target}.${randomBytes(6).toString("hex")}.partial`;
  const client = await openEmbeddedDatabase({ dataDir: partial });
  try {
    await migrate(drizzle(client, { schema }) as unknown as AuthDB);
  } finally {
    // Closed before it is copied anywhere: a closed cluster is a consistent one.
    await client.close();
  }
  await publish(partial, target);
  for (const name of await readdir(templateDir)) {
    if (name.startsWith(TEMPLATE_PREFIX) && name !== `${TEMPLATE_PREFIX}${key}` && !name.endsWith(".partial")) {
      await rm(join(templateDir, name), { recursive: true, force: true });
    }
  }
  return target;
}

/**
 * Fills a fresh `dataDir` (missing or empty) from the current template, building the template
 * first if needed. Returns false, touching nothing, when `dataDir` already holds a database or
 * has other files in it.
 *
 * @example await seedEmbeddedDatabase(".data/pglite", ".data/pglite-templates");
 */
export async function seedEmbeddedDatabase(dataDir: string, templateDir: string, key: string = TEMPLATE_KEY): Promise<boolean> {
  // Checked first, so that a directory in use never makes anyone build a template.
  if (!(await isFreshDataDir(dataDir))) return false;
  await ensureEmbeddedTemplate(templateDir, key);
  return copyEmbeddedTemplate(dataDir, templateDir, key);
}
