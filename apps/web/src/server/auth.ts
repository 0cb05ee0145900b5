import { type Auth, createAuthFromEnv, type Database } from "@bearer-kit/auth";
import { env } from "../env.ts";

interface Opened {
  auth: Auth;
  database: Database;
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
  return createAuthFromEnv(env);
}

/**
 * The process-wide auth service, created on first use (opens the database, runs migrations).
 *
 * @example const user = await (await getAuth()).checkBearerToken(token);
 */
export async function getAuth(): Promise<Auth> {
  const cached = holder.bearerKitAuth;
  if (cached?.factory !== createAuthFromEnv) {
    const opened = open(cached?.opened).catch((error: unknown) => {
      // Let the next request try again, e.g. once PostgreSQL is back.
      if (holder.bearerKitAuth?.opened === opened) holder.bearerKitAuth = undefined;
      throw error;
    });
    holder.bearerKitAuth = { factory: createAuthFromEnv, opened };
    return (await opened).auth;
  }
  return (await cached.opened).auth;
}
