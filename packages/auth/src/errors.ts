import type { AuthErrorCode } from "./error-codes.ts";

// The codes live in error-codes.ts, which has no imports, so the client entry can share them.
export { AUTH_ERROR_CODES, type AuthErrorCode } from "./error-codes.ts";

export interface AuthErrorOptions {
  /** Seconds until a throttled or refused caller may try again (`RATE_LIMITED`, `SERVER_BUSY`). */
  retryAfter?: number;
  /** Field name to message, for `INVALID_INPUT` and `WEAK_PASSWORD`. */
  fieldErrors?: Record<string, string[]>;
  cause?: unknown;
}

// Bundlers (Next.js builds instrumentation and routes apart) can load this module twice, making
// two AuthError classes. A registry-wide symbol brand keeps `instanceof` true across the copies.
const BRAND = Symbol.for("bearer-kit.AuthError");

/**
 * Every failure of @bearer-kit/auth is an `AuthError` with a stable `code`.
 *
 * Callers branch on the code, never on the message:
 * - `TOKEN_EXPIRED` on a protected call means "refresh and retry";
 * - `TOKEN_INVALID`, `SESSION_REVOKED` and `REFRESH_REUSED` mean "sign in again";
 * - `DATABASE_UNAVAILABLE`, `JWKS_UNAVAILABLE` (a verifier could not fetch the issuer's keys)
 *   and `REVOCATION_UNAVAILABLE` (a verifier's revocation feed is stale) mean "try again
 *   shortly", and so does `SERVER_BUSY` (too many password checks, or event streams, at once);
 * - `STREAM_REPLACED` ends a session-event stream that a newer one of the same session replaced:
 *   the session goes on, and the stream is not opened again.
 *
 * @example
 * try { await auth.refresh(token) } catch (error) {
 *   if (error instanceof AuthError && error.code === "REFRESH_REUSED") showSignIn();
 * }
 */
export class AuthError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  override readonly name = "AuthError";
  readonly [BRAND] = true;
  readonly code: AuthErrorCode;
  readonly retryAfter: number | undefined;
  readonly fieldErrors: Record<string, string[]> | undefined;

  constructor(code: AuthErrorCode, message: string, options: AuthErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.retryAfter = options.retryAfter;
    this.fieldErrors = options.fieldErrors;
  }
}

/** True when `error` is an `AuthError`, optionally with the given code. */
export function isAuthError(error: unknown, code?: AuthErrorCode): error is AuthError {
  return error instanceof AuthError && (code === undefined || error.code === code);
}
