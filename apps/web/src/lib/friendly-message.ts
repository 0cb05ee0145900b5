import { AUTH_ERROR_MEANINGS, isAuthErrorCode } from "@bearer-kit/auth/client";
import type { AuthErrorInfo } from "@bearer-kit/react/client";
import { readAuthError } from "@bearer-kit/react/client";
import { TRPCClientError } from "@trpc/client";
import { formatDuration } from "./format-duration.ts";

const SERVICE_UNAVAILABLE = AUTH_ERROR_MEANINGS.DATABASE_UNAVAILABLE.message;

/** What a call that got no answer (offline, server down, timed out) tells the user. */
const UNREACHABLE = "Can't reach the server. Check your connection and try again.";

/** The API's refusals of a passkey, said for the page where the passkey was just used. */
const PASSKEY_MESSAGES: Readonly<Record<string, string>> = {
  PASSKEY_INVALID: "That passkey could not sign you in. Try again, or use your password.",
  PASSKEY_REGISTRATION_FAILED: "The passkey could not be added. It may already be registered; try again or use another one.",
};

/**
 * What the browser's WebAuthn ceremony failures mean to a person, by the DOMException's name
 * (@simplewebauthn/browser keeps it on its WebAuthnError). NotAllowedError covers both "Cancel"
 * and a timeout: browsers do not tell them apart, on purpose.
 */
const CEREMONY_MESSAGES: Readonly<Record<string, string>> = {
  NotAllowedError: "The passkey request was cancelled or timed out. Try again when you are ready.",
  InvalidStateError: "This device already holds a passkey for your account.",
  SecurityError: "Passkeys cannot be used on this address.",
  NotSupportedError: "This device cannot make a passkey this site accepts.",
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
    const override = overrides[error.code] ?? PASSKEY_MESSAGES[error.code];
    if (override) return override;
    if (isAuthErrorCode(error.code)) return AUTH_ERROR_MEANINGS[error.code].message;
  }
  if (error.network) return UNREACHABLE;
  if (error.httpStatus === 503) return SERVICE_UNAVAILABLE;
  return "Something went wrong. Please try again.";
}

/**
 * The message for a failed passkey step, whether the browser's ceremony failed (cancelled, timed
 * out, already registered) or the API refused the answer; `null` for a ceremony the page itself
 * aborted (another one started, or the page left), which needs no word.
 *
 * @example setFailure(friendlyPasskeyMessage(error, { INVALID_CREDENTIALS: "Your password is incorrect." }));
 */
export function friendlyPasskeyMessage(error: unknown, overrides: Record<string, string> = {}): string | null {
  if (error instanceof TRPCClientError) return friendlyMessage(readAuthError(error), overrides);
  const name = error instanceof Error ? error.name : null;
  if (name === "AbortError") return null;
  const ceremony = name === null ? undefined : CEREMONY_MESSAGES[name];
  if (ceremony) return ceremony;
  if (typeof window !== "undefined" && !window.PublicKeyCredential) return "This browser does not support passkeys.";
  return "The passkey could not be used. Please try again.";
}
