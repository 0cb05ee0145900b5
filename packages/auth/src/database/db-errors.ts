import { AuthError } from "../errors.ts";

// SQLSTATE classes and client error codes that mean "the database cannot be reached now",
// as opposed to a bug in a query. 08: connection exception; 57P0x: shutdown or restart;
// 53300: too many connections.
const UNAVAILABLE_SQLSTATE = /^(08|57P0[1-4]|53300)/;
const UNAVAILABLE_CLIENT_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
]);

function codeOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" ? error.code : undefined;
}

/** Drizzle wraps driver errors; walk the `cause` chain to the driver's own error. */
function* causes(error: unknown): Generator<unknown> {
  let current = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    yield current;
    current = current instanceof Error ? current.cause : undefined;
  }
}

export function sqlStateOf(error: unknown): string | undefined {
  for (const cause of causes(error)) {
    const code = codeOf(cause);
    if (code && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

export function isUniqueViolation(error: unknown): boolean {
  return sqlStateOf(error) === "23505";
}

export function isForeignKeyViolation(error: unknown): boolean {
  return sqlStateOf(error) === "23503";
}

export function isDatabaseUnavailable(error: unknown): boolean {
  for (const cause of causes(error)) {
    const code = codeOf(cause);
    if (code && (UNAVAILABLE_CLIENT_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
  }
  return false;
}

/** Rethrows connection failures as `DATABASE_UNAVAILABLE`; anything else unchanged. */
export function rethrowDatabaseError(error: unknown): never {
  if (error instanceof AuthError) throw error;
  if (isDatabaseUnavailable(error)) {
    throw new AuthError("DATABASE_UNAVAILABLE", "The database is unavailable; try again shortly.", { cause: error });
  }
  throw error;
}
