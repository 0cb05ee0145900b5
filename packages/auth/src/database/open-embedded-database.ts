import { PGlite } from "@electric-sql/pglite";
import { EMBEDDED_SETTINGS, type EmbeddedDatabaseOptions } from "./embedded-settings.ts";

export { EMBEDDED_SETTINGS, type EmbeddedDatabaseOptions } from "./embedded-settings.ts";
export { type EmbeddedWorkerDatabase, openEmbeddedDatabaseOnWorker } from "./embedded-worker-database.ts";
export { copyEmbeddedTemplate } from "./copy-embedded-template.ts";

/**
 * Opens (or, on an empty folder, creates) an embedded database with bearer-kit's settings. A host
 * that opens it early, to overlap the opening with its own start-up, hands the result to
 * `createAuthFromEnv(env, { pglite })`.
 *
 * @example const pglite = openEmbeddedDatabase({ dataDir: ".data/pglite" });
 */
export function openEmbeddedDatabase(options: EmbeddedDatabaseOptions = {}): Promise<PGlite> {
  return PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    startParams: [...PGlite.defaultStartParams, ...EMBEDDED_SETTINGS],
  });
}
