import { AUTH_ERROR_MEANINGS, isAuthErrorCode } from "@bearer-kit/auth/client";
import type { AuthErrorInfo } from "@bearer-kit/react/client";
import { formatDuration } from "./format-duration.ts";

const SERVICE_UNAVAILABLE = AUTH_ERROR_MEANINGS.DATABASE_UNAVAILABLE.message;

/** What a call that got no answer (offline, server down, timed out) tells the user. */
const UNREACHABLE = "Can't reach the server. Check your connection and try again.";

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
    const override = overrides[error.code];
    if (override) return override;
    if (isAuthErrorCode(error.code)) return AUTH_ERROR_MEANINGS[error.code].message;
  }
  if (error.network) return UNREACHABLE;
  if (error.httpStatus === 503) return SERVICE_UNAVAILABLE;
  return "Something went wrong. Please try again.";
}
