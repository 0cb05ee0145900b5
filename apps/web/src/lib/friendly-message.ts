import type { AuthErrorInfo } from "./auth-error.ts";
import { formatDuration } from "./format-duration.ts";

const SERVICE_UNAVAILABLE = "The service is temporarily unavailable. Please try again in a moment.";

/** What a call that got no answer (offline, server down, timed out) tells the user. */
export const UNREACHABLE = "Can't reach the server. Check your connection and try again.";

const MESSAGES: Record<string, string> = {
  INVALID_CREDENTIALS: "Incorrect email or password.",
  EMAIL_TAKEN: "An account with this email already exists. Try signing in instead.",
  WEAK_PASSWORD: "Choose a stronger password.",
  INVALID_INPUT: "Please check the highlighted fields.",
  TOKEN_EXPIRED: "Your session has expired. Please sign in again.",
  TOKEN_INVALID: "Your session has ended. Please sign in again.",
  SESSION_REVOKED: "Your session has ended. Please sign in again.",
  REFRESH_REUSED: "For your safety this session was ended because its sign-in token was used twice. Sign in again.",
  NOT_FOUND: "That item no longer exists.",
  DATABASE_UNAVAILABLE: SERVICE_UNAVAILABLE,
};

/**
 * One sentence a person can act on. Never echoes server internals.
 *
 * @example friendlyMessage({ code: "RATE_LIMITED", retryAfter: 900, ... }) // "Too many attempts. Try again in 15 minutes."
 */
export function friendlyMessage(error: AuthErrorInfo, overrides: Record<string, string> = {}): string {
  if (error.code === "RATE_LIMITED") {
    return `Too many attempts. Try again in ${formatDuration(error.retryAfter ?? 60)}.`;
  }
  if (error.code) {
    const known = overrides[error.code] ?? MESSAGES[error.code];
    if (known) return known;
  }
  if (error.network) return UNREACHABLE;
  if (error.httpStatus === 503) return SERVICE_UNAVAILABLE;
  return "Something went wrong. Please try again.";
}
