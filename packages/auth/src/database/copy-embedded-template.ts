/**
 * The light half of the embedded template (embedded-template.ts): finding the current template
 * and copying it into a fresh data directory. No PGlite, drizzle or migrations runner, so a start
 * script can do it through `@bearer-kit/auth/embedded` before its framework loads.
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, rename, rm, rmdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { copyTree } from "./copy-tree.ts";
import { migrations } from "./migrations.generated.ts";

/** The current migrations' fingerprint: part of the template's folder name. */
export const TEMPLATE_KEY = createHash("sha256").update(JSON.stringify(migrations)).digest("hex").slice(0, 16);

export const TEMPLATE_PREFIX = "pglite-template-";

/** Where the template for `key` lives under `templateDir`. */
export function embeddedTemplatePath(templateDir: string, key: string = TEMPLATE_KEY): string {
  return join(templateDir, `${TEMPLATE_PREFIX}${key}`);
}

/** True when `dataDir` already holds a database (PGlite resumes it). */
export function hasDatabase(dataDir: string): boolean {
  return existsSync(join(dataDir, "PG_VERSION"));
}

/** Moves a finished folder into place; false when another process put one there first. */
export async function publish(partial: string, target: string): Promise<boolean> {
  try {
    await rename(partial, target);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOTEMPTY" && code !== "EEXIST") throw error;
    await rm(partial, { recursive: true, force: true });
    return false;
  }
}

/** What `dataDir` holds. A missing or empty one may be filled from a template; the others are never touched. */
async function contentsOf(dataDir: string): Promise<"missing" | "empty" | "database" | "other files"> {
  if (hasDatabase(dataDir)) return "database";
  const existing = await readdir(dataDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return null;
    throw error;
  });
  if (existing === null) return "missing";
  return existing.length === 0 ? "empty" : "other files";
}

/** True when `dataDir` is missing or empty: a template may be copied into it. */
export async function isFreshDataDir(dataDir: string): Promise<boolean> {
  const contents = await contentsOf(dataDir);
  return contents === "missing" || contents === "empty";
}

/**
 * Fills a fresh `dataDir` (missing or empty) from the current migrations' template in
 * `templateDir`, if that template exists; it is never built here. Returns false, touching
 * nothing, when there is no template or `dataDir` is not fresh.
 *
 * @example await copyEmbeddedTemplate(".data/pglite", ".data/pglite-templates");
 */
export async function copyEmbeddedTemplate(dataDir: string, templateDir: string, key: string = TEMPLATE_KEY): Promise<boolean> {
  const template = embeddedTemplatePath(templateDir, key);
  if (!hasDatabase(template)) return false;
  const contents = await contentsOf(dataDir);
  if (contents !== "missing" && contents !== "empty") return false;
  // Copied beside the target and renamed in: an interrupted copy never looks like a database.
  const partial = `${dataDir}.${randomBytes(6).toString("hex")}.partial`;
  await copyTree(template, partial);
  if (contents === "empty") await rmdir(dataDir).catch(() => {});
  await mkdir(dirname(dataDir), { recursive: true });
  return publish(partial, dataDir);
}
