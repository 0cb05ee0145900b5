import { type Auth, createAuthFromEnv, type Database, type DevMailbox } from "@bearer-kit/auth";
import { env } from "../env.ts";
import { takeEarlyDatabase } from "./early-database.ts";

interface Opened {
  auth: Auth;
  database: Database;
  /** Where mail goes while no SMTP_URL is set; `null` once real mail is sent. */
  mailbox: DevMailbox | null;
}

// On globalThis, not in module scope: dev HMR re-evaluates modules, and a second PGlite on the
// same data directory would corrupt it. One database per process. `factory` notices when the
// auth package itself was reloaded: the old instance would throw errors of a stale AuthError
// class, which the API no longer recognises, so it is closed and replaced.
const holder = globalThis as typeof globalThis & {
  bearerKitAuth?: { factory: typeof createAuthFromEnv; opened: Promise<Opened> };
};

async function open(previous: Promise<Opened> | undefined): Promise<Opened> {
  await previous?.then(({ database }) => database.close()).catch(() => {});
  // The embedded database the start script began opening while Next.js prepared, if any.
  return createAuthFromEnv(env, { pglite: takeEarlyDatabase(env.PGLITE_DATA_DIR) });
}

function opened(): Promise<Opened> {
  const cached = holder.bearerKitAuth;
  if (cached?.factory === createAuthFromEnv) return cached.opened;
  const opening = open(cached?.opened).catch((error: unknown) => {
    // Let the next request try again, e.g. once PostgreSQL is back.
    if (holder.bearerKitAuth?.opened === opening) holder.bearerKitAuth = undefined;
    throw error;
  });
  holder.bearerKitAuth = { factory: createAuthFromEnv, opened: opening };
  return opening;
}

/**
 * The process-wide auth service, created on first use (opens the database, runs migrations).
 *
 * @example const user = await (await getAuth()).checkBearerToken(token);
 */
export async function getAuth(): Promise<Auth> {
  return (await opened()).auth;
}

/**
 * The demo mailbox the auth service sends to, the same one for the whole process; `null` when
 * SMTP_URL is set and mail really leaves.
 *
 * @example const messages = (await getDevMailbox())?.list() ?? [];
 */
export async function getDevMailbox(): Promise<DevMailbox | null> {
  return (await opened()).mailbox;
}
