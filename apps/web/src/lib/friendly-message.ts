import type { AuthErrorInfo } from "./auth-error.ts";

const SERVICE_UNAVAILABLE = "The service is temporarily unavailable. Please try again in a moment.";

const MESSAGES: Record<string, string> = {
  INVALID_CREDENTIALS: "Incorrect email or password.",
  EMAIL_TAKEN: "An account with this email already exists. Try signing in instead.",
  WEAK_PASSWORD: "Choose a stronger password.",
  INVALID_INPUT: "Please check the highlighted fields.",
  TOKEN_EXPIRED: "Your session has expired. Please sign in again.",
  TOKEN_INVALID: "Your session has ended. Please sign in again.",
  SESSION_REVOKED: "Your session has ended. Please sign in again.",
  REFRESH_REUSED: "For your safety we signed you out. Please sign in again.",
  NOT_FOUND: "That item no longer exists.",
  DATABASE_UNAVAILABLE: SERVICE_UNAVAILABLE,
};

/**
 * One sentence a person can act on. Never echoes server internals.
 *
 * @example friendlyMessage({ code: "RATE_LIMITED", retryAfter: 30, ... }) // "Too many attempts. Try again in 30 seconds."
 */
export function friendlyMessage(error: AuthErrorInfo, overrides: Record<string, string> = {}): string {
  if (error.code === "RATE_LIMITED") {
    const seconds = Math.max(1, Math.ceil(error.retryAfter ?? 60));
    return `Too many attempts. Try again in ${seconds} second${seconds === 1 ? "" : "s"}.`;
  }
  if (error.code) {
    const known = overrides[error.code] ?? MESSAGES[error.code];
    if (known) return known;
  }
  if (error.network) return "Could not reach the server. Check your connection and try again.";
  if (error.httpStatus === 503) return SERVICE_UNAVAILABLE;
  return "Something went wrong. Please try again.";
}
