// Starts the notes service: opens its database (embedded PGlite unless NOTES_DATABASE_URL is
// set), creates its table, and serves on HOSTNAME:NOTES_PORT, trusting the tokens the web app
// signs, as its JWKS (NOTES_JWKS_URL) publishes them, and refusing those its security-event feed
// revokes when NOTES_RECEIVER_CREDENTIAL is set. It holds no secret and no auth table.
import { createServer } from "node:http";
import { dirname, isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";
import { openNotesDatabase } from "./database.ts";
import { loadNotesEnv, type NotesEnv } from "./env.ts";
import { createNotesListener } from "./http/create-notes-listener.ts";
import { migrateNotes } from "./migrate.ts";
import { createNoteStore } from "./note-store.ts";
import { createNotesVerifier, notesPublicURL, securityEventsURL } from "./notes-verifier.ts";

const appDir = join(dirname(fileURLToPath(import.meta.url)), "..");

function fail(message: string): never {
  console.error(`bearer-kit notes: ${message}`);
  process.exit(1);
}

function readEnv(): NotesEnv {
  try {
    return loadNotesEnv();
  } catch (error) {
    return fail(error instanceof Error ? error.message.replace(/^bearer-kit notes: /, "") : String(error));
  }
}

const env = readEnv();

const dataDir = isAbsolute(env.NOTES_PGLITE_DATA_DIR) ? env.NOTES_PGLITE_DATA_DIR : join(appDir, env.NOTES_PGLITE_DATA_DIR);
const database = await openNotesDatabase({ url: env.NOTES_DATABASE_URL, dataDir }).catch((error: unknown) =>
  fail(`cannot open the database: ${error instanceof Error ? error.message : String(error)}`),
);
await migrateNotes(database.db).catch((error: unknown) =>
  fail(`cannot create the notes table: ${error instanceof Error ? error.message : String(error)}`),
);

const verifier = createNotesVerifier(env, { onWarning: (message) => console.warn(`bearer-kit notes: ${message}`) });
const listener = createNotesListener({
  verifier,
  store: createNoteStore(database.db),
  allowedOrigin: env.NOTES_ALLOWED_ORIGIN,
  publicUrl: notesPublicURL(env),
  onError: (error) => console.error("bearer-kit notes:", error),
});

const server = createServer(listener);
server.on("error", (error) => fail(error.message));
await new Promise<void>((resolve) => server.listen(env.NOTES_PORT, env.HOSTNAME, resolve));

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    server.close();
    server.closeAllConnections();
    void Promise.all([verifier.close(), database.close()]).finally(() => process.exit(0));
  });
}

const host = env.HOSTNAME.includes(":") && !env.HOSTNAME.startsWith("[") ? `[${env.HOSTNAME}]` : env.HOSTNAME;
const revocations = env.NOTES_RECEIVER_CREDENTIAL === undefined ? "no revocation feed" : `revocations from ${securityEventsURL(env)}`;
console.log(`bearer-kit notes listening on http://${host}:${env.NOTES_PORT} (tokens from ${env.NOTES_JWKS_URL}, ${revocations})`);
