import type { AuthErrorInfo } from "./read-auth-error.ts";

// Codes after which the session cannot be saved by a refresh: only signing in again helps.
const ENDED = new Set(["TOKEN_INVALID", "SESSION_REVOKED", "REFRESH_REUSED"]);

/**
 * True when a failure means "signed out" rather than "try again".
 *
 * @example if (isSessionEnded(readAuthError(error))) endSession({ broadcast: false, reason: "ended" });
 */
export function isSessionEnded(error: AuthErrorInfo): boolean {
  if (error.code !== null) return ENDED.has(error.code);
  return error.httpStatus === 401;
}
