import type { createAuthFromEnv } from "@bearer-kit/auth";

/**
 * The embedded database `scripts/start.mjs` starts opening while Next.js prepares (see
 * `scripts/early-database.mjs`, whose names this mirrors). The start server and the app share
 * the process, so it waits on globalThis.
 */
type EarlyOpening = NonNullable<NonNullable<Parameters<typeof createAuthFromEnv>[1]>["pglite"]>;

interface EarlyDatabase {
  /** PGLITE_DATA_DIR as the start script read it (the same variable, default and working directory). */
  dataDir: string;
  opening: EarlyOpening;
  /** Closes it, or gives up an opening still waiting to fill a fresh directory (the script's one way to end it). */
  close(): Promise<void>;
}

const EARLY_DATABASE = Symbol.for("bearer-kit.early-database");
const holder = globalThis as typeof globalThis & { [EARLY_DATABASE]?: EarlyDatabase | undefined };

/**
 * The early database opened on `dataDir`, handed over once: whoever takes it owns it and closes
 * it. `undefined` when there is none (`pnpm dev`, DATABASE_URL) or when it was opened on another
 * directory, which is then closed.
 *
 * @example await createAuthFromEnv(env, { pglite: takeEarlyDatabase(env.PGLITE_DATA_DIR) });
 */
export function takeEarlyDatabase(dataDir: string): EarlyOpening | undefined {
  const early = holder[EARLY_DATABASE];
  if (!early) return undefined;
  holder[EARLY_DATABASE] = undefined;
  if (early.dataDir === dataDir) return early.opening;
  void early.close();
  return undefined;
}

/**
 * Closes the early database if nothing took it: the app is stopping before its first request.
 *
 * @example await closeUntakenEarlyDatabase();
 */
export async function closeUntakenEarlyDatabase(): Promise<void> {
  const early = holder[EARLY_DATABASE];
  holder[EARLY_DATABASE] = undefined;
  await early?.close();
}
