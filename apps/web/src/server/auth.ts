import { type Auth, createAuthFromEnv } from "@bearer-kit/auth";
import { env } from "../env.ts";

// On globalThis, not in module scope: dev HMR re-evaluates modules, and a second PGlite
// on the same data directory would corrupt it. One instance per process.
const holder = globalThis as typeof globalThis & { bearerKitAuth?: Promise<Auth> };

/**
 * The process-wide auth service, created on first use (opens the database, runs migrations).
 *
 * @example const user = await (await getAuth()).checkBearerToken(token);
 */
export function getAuth(): Promise<Auth> {
  holder.bearerKitAuth ??= createAuthFromEnv(env).then(
    ({ auth }) => auth,
    (error: unknown) => {
      // Let the next request try again, e.g. once PostgreSQL is back.
      holder.bearerKitAuth = undefined;
      throw error;
    },
  );
  return holder.bearerKitAuth;
}
