// Opens the embedded database (PGlite) on a worker thread while Next.js prepares, instead of
// after it on the same thread: the two took about 1.2 s each, one after the other, on every
// start. The app takes the open database over through src/server/early-database.ts, which mirrors
// the names below, and builds its auth service on it (src/server/auth.ts); nothing here reads or
// writes a row.
//
// An existing database starts opening before Next.js loads. A fresh data directory is filled
// from the build's migrated template (packages/auth copy-embedded-template.ts) once Next.js is
// ready, and opened before the first request; without a template, PGlite initialises it on the
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

/** Fills a fresh directory from the template; without one, PGlite initialises it (on the worker). */
async function fill({ dataDir, templateDir }, copyEmbeddedTemplate) {
  if (!(await copyEmbeddedTemplate(dataDir, templateDir))) await mkdir(dataDir, { recursive: true });
}

/** Settled by `fillFreshDatabase` or `closeUntakenDatabase`: when a fresh directory may be filled. */
let appLoaded = null;

/** A promise and its settlers; a rejection before anyone waits on it is not an unhandled one. */
function gate() {
  const settlers = {};
  const promise = new Promise((resolve, reject) => Object.assign(settlers, { resolve, reject }));
  promise.catch(() => {});
  return { promise, ...settlers };
}

/**
 * Starts opening the embedded database the environment names, on a worker thread, and leaves the
 * opening on globalThis for the app. An existing database opens at once, beside Next.js's loading.
 * A fresh directory is filled from the template once `fillFreshDatabase` says the app has loaded
 * (its thousand file copies ran slower beside the loading: a first start took 1.08 s against
 * 1.01 s), while the worker loads PGlite meanwhile. Returns at once; a failure is the app's to
 * report, when it takes the database over (the API then answers 503, as it does for any database
 * failure).
 *
 * @example openDatabaseEarly(process.env);
 */
export function openDatabaseEarly(env) {
  const dirs = embeddedDirs(env);
  if (dirs === null) return;
  const fresh = !existsSync(join(dirs.dataDir, "PG_VERSION"));
  if (fresh) appLoaded = gate();
  const opening = import("@bearer-kit/auth/embedded").then(({ copyEmbeddedTemplate, openEmbeddedDatabaseOnWorker }) =>
    // On a worker thread: PGlite's opening and its statements then run on the second core, not on
    // the thread that loads Next.js and serves requests. The API's settings (EMBEDDED_SETTINGS).
    openEmbeddedDatabaseOnWorker({ dataDir: dirs.dataDir, waitFor: appLoaded?.promise.then(() => fill(dirs, copyEmbeddedTemplate)) }),
  );
  // Handled here too: a failure nobody has asked for yet must not end the process.
  opening.catch(() => {});
  globalThis[EARLY_DATABASE] = { dataDir: dirs.dataDir, opening, close: () => abandon(opening) };
}

/**
 * Closes an opening nobody took: the `close` of the early database, for this script and the app
 * alike. A fresh directory not filled yet is given up rather than filled now; an open database is
 * closed, or its next start would have to recover it.
 */
async function abandon(opening) {
  appLoaded?.reject(new Error("the app stopped before its database was filled"));
  await opening.then((client) => client.close()).catch(() => {});
}

/**
 * The app has loaded: a fresh data directory may now be filled and opened, before the first
 * request. Does nothing for an existing database, which is already opening.
 *
 * @example await app.prepare(); fillFreshDatabase();
 */
export function fillFreshDatabase() {
  appLoaded?.resolve();
}

/**
 * Closes the early database if the app never took it (a signal or a failure before the first
 * request): an embedded database must be closed, or its next start has to recover it.
 *
 * @example await closeUntakenDatabase();
 */
export async function closeUntakenDatabase() {
  const early = globalThis[EARLY_DATABASE];
  globalThis[EARLY_DATABASE] = undefined;
  await early?.close();
}
