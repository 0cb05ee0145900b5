// Opens the embedded database (PGlite) on a worker thread while Next.js prepares, instead of
// after it on the same thread: the two took about 1.2 s each, one after the other, on every
// start. The app takes the open database over through src/server/early-database.ts, which mirrors
// the names below, and builds its auth service on it (src/server/auth.ts); nothing here reads or
// writes a row.
//
// An existing database starts opening before Next.js loads. A fresh data directory is filled
// from the build's migrated template (packages/auth copy-embedded-template.ts) and opened once
// Next.js is ready, before the first request; without a template, PGlite initialises it on the
// worker. With DATABASE_URL there is no embedded database at all.
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";

/** Where the open database waits for the app, on globalThis: Next loads the app in this process. */
export const EARLY_DATABASE = Symbol.for("bearer-kit.early-database");

/** The auth schema's rules (packages/auth/src/config/env.ts): unset or empty means the default. */
function embeddedDirs(env) {
  if (env.DATABASE_URL) return null;
  return { dataDir: env.PGLITE_DATA_DIR || ".data/pglite", templateDir: env.PGLITE_TEMPLATE_DIR || ".data/pglite-templates" };
}

/** Fills a fresh directory from the template, then opens the database with the API's settings (EMBEDDED_SETTINGS). */
async function open({ dataDir, templateDir }) {
  const { copyEmbeddedTemplate, openEmbeddedDatabaseOnWorker } = await import("@bearer-kit/auth/embedded");
  if (!(await copyEmbeddedTemplate(dataDir, templateDir))) await mkdir(dataDir, { recursive: true });
  // On a worker thread: PGlite's opening and its statements then run on the second core, not on
  // the thread that loads Next.js and serves requests.
  return openEmbeddedDatabaseOnWorker({ dataDir });
}

/** Starts opening and leaves the opening on globalThis for the app. */
function startOpening(dirs) {
  const opening = open(dirs);
  // Handled here too: a failure nobody has asked for yet must not end the process.
  opening.catch(() => {});
  globalThis[EARLY_DATABASE] = { dataDir: dirs.dataDir, opening };
}

/**
 * Starts opening the embedded database the environment names if it already exists, before the
 * app loads, so that the two overlap. Returns at once; a failure is the app's to report, when it
 * takes the database over (the API then answers 503, as it does for any database failure).
 *
 * @example openDatabaseEarly(process.env);
 */
export function openDatabaseEarly(env) {
  const dirs = embeddedDirs(env);
  if (dirs !== null && existsSync(join(dirs.dataDir, "PG_VERSION"))) startOpening(dirs);
}

/**
 * Starts opening the embedded database now, unless it is already opening: for a fresh data
 * directory, once the app has loaded. Filling it from the template is a thousand file copies,
 * which ran slower beside the app's own loading than after it (a first start took 1.08 s against
 * 1.01 s, 7 runs each).
 *
 * @example await app.prepare(); openDatabaseNow(process.env);
 */
export function openDatabaseNow(env) {
  const dirs = embeddedDirs(env);
  if (dirs !== null && !globalThis[EARLY_DATABASE]) startOpening(dirs);
}

/**
 * Closes the early database if the app never took it (a signal or a failure before the first
 * request): an embedded database must be closed, or its next start has to recover it.
 *
 * @example await closeUntakenDatabase();
 */
export async function closeUntakenDatabase() {
  const early = globalThis[EARLY_DATABASE];
  if (!early) return;
  globalThis[EARLY_DATABASE] = undefined;
  await early.opening.then((client) => client.close()).catch(() => {});
}
