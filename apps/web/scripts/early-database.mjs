// Opens the embedded database (PGlite) while Next.js prepares, instead of after it: the two took
// about 1.2 s each, one after the other, on every restart. The app takes the open database over
// through src/server/early-database.ts, which mirrors the names below, and builds its auth
// service on it (src/server/auth.ts); nothing here reads or writes a row.
//
// Only a database that already exists is opened here. A fresh data directory is left to the
// app, which first fills it from the build's migrated template (packages/auth
// embedded-template.ts); with DATABASE_URL there is no embedded database at all.
import { existsSync } from "node:fs";
import { join } from "node:path";

/** Where the open database waits for the app, on globalThis: Next loads the app in this process. */
export const EARLY_DATABASE = Symbol.for("bearer-kit.early-database");

/** The auth schema's rule (packages/auth/src/env.ts): unset or empty means the default. */
function embeddedDataDir(env) {
  if (env.DATABASE_URL) return null;
  return env.PGLITE_DATA_DIR || ".data/pglite";
}

/**
 * Starts opening the embedded database the environment names, if it exists, and leaves the
 * opening on globalThis for the app. Returns at once; a failure is the app's to report, when it
 * takes the database over (the API then answers 503, as it does for any database failure).
 *
 * @example openDatabaseEarly(process.env);
 */
export function openDatabaseEarly(env) {
  const dataDir = embeddedDataDir(env);
  if (dataDir === null || !existsSync(join(dataDir, "PG_VERSION"))) return;
  // Opened with the settings the API would use itself (EMBEDDED_SETTINGS), on a worker thread:
  // PGlite's opening and its queries then run on the second core, not on the thread that loads
  // Next.js and serves requests.
  const opening = import("@bearer-kit/auth/embedded").then(({ openEmbeddedDatabaseOnWorker }) => openEmbeddedDatabaseOnWorker({ dataDir }));
  // Handled here too: a failure nobody has asked for yet must not end the process.
  opening.catch(() => {});
  globalThis[EARLY_DATABASE] = { dataDir, opening };
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
