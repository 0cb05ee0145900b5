import type { AccountSecurityEvent } from "./trpc/router-types.ts";

const SIGNIN_METHODS: Readonly<Record<string, string>> = {
  password: "Signed in with your password",
  second_factor: "Signed in with your password and a second step",
  passkey: "Signed in with a passkey",
  register: "Created the account and signed in",
  reset: "Signed in after a password reset",
};

const SESSION_ENDS: Readonly<Record<string, string>> = {
  logout: "Signed out",
  logout_everywhere: "Signed out everywhere",
  revoked_by_user: "Session revoked from the sessions list",
  password_changed: "Session ended by a password change",
  password_reset: "Session ended by a password reset",
  email_changed: "Session ended by an email change",
  refresh_token_reused: "Session ended: its refresh token was used twice",
  reported_by_owner: "Session ended: you reported a sign-in as not you",
  session_limit: "Session ended: the oldest of too many sessions",
  account_deleted: "Session ended: the account was deleted",
};

const FACTORS: Readonly<Record<string, string>> = { totp: "Authenticator app", recovery_codes: "Recovery codes", passkey: "Passkey" };
const CHANGES: Readonly<Record<string, string>> = { create: "added", delete: "removed", update: "changed" };

const text = (value: unknown): string => (typeof value === "string" ? value : "");

/**
 * What an activity-log entry says, in words for the account page.
 *
 * @example describeSecurityEvent({ type: "signin", detail: { method: "passkey" } }) // "Signed in with a passkey"
 */
export function describeSecurityEvent(event: Pick<AccountSecurityEvent, "type" | "detail">): string {
  const { detail } = event;
  switch (event.type) {
    case "signin":
      return SIGNIN_METHODS[text(detail.method)] ?? "Signed in";
    case "signin_throttled":
      return "Sign-in attempts paused after too many wrong passwords";
    case "session_revoked":
      return SESSION_ENDS[text(detail.reason)] ?? "Session ended";
    case "refresh_token_reused":
      return "A refresh token was used twice";
    case "password_changed":
      return "Password changed";
    case "password_reset":
      return "Password reset";
    case "email_changed":
      return "Email address changed";
    case "second_factor_changed":
      return `${FACTORS[text(detail.factor)] ?? "Second factor"} ${CHANGES[text(detail.change)] ?? "changed"}`;
    case "passkey_counter_regressed":
      return "A passkey was refused: it looked like a copy of another";
    case "account_deleted":
      return "Account deleted";
  }
}
