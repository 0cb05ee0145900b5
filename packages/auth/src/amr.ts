// RFC 8176 authentication method references: what the person proved to open a session.
// No imports, so a browser bundle (the client entry) can name the values too.

/**
 * The `amr` values a session can carry: password, one-time password, multiple factors, and for
 * a passkey the key's kind (`hwk` hardware-bound, `swk` synced) and `user` (it verified the person).
 */
export const AMR_VALUES = ["pwd", "otp", "mfa", "hwk", "swk", "user"] as const;
export type AMR = (typeof AMR_VALUES)[number];

/** A password alone. */
export const PASSWORD_AMR: readonly AMR[] = Object.freeze(["pwd"]);
/** A password and a TOTP code. */
export const TOTP_AMR: readonly AMR[] = Object.freeze(["pwd", "otp", "mfa"]);
/**
 * A password and a recovery code. Not `otp`: a recovery code is a one-time code but no
 * one-time *password* from a device (RFC 8176's `otp` names a generated OTP); `mfa` alone says
 * that two factors were shown, without claiming the authenticator app was one of them.
 */
export const RECOVERY_CODE_AMR: readonly AMR[] = Object.freeze(["pwd", "mfa"]);

/**
 * A passkey's `amr`, alone or after a password. RFC 8176 names the key: `hwk` when its private
 * key cannot leave the authenticator (device-bound), `swk` when it is synced (backup eligible:
 * the key is copied through a sync fabric, so it is software-protected as far as we can know).
 * `user` because every ceremony requires user verification (PIN or biometric), which we cannot
 * tell apart. `mfa` because a verified passkey is possession plus knowledge or inherence: two
 * factors in one gesture, phishing-resistant as the origin is signed.
 *
 * @example passkeyAMR({ synced: true, afterPassword: false }) // ["swk", "user", "mfa"]
 */
export function passkeyAMR({ synced, afterPassword }: { synced: boolean; afterPassword: boolean }): readonly AMR[] {
  const key: AMR = synced ? "swk" : "hwk";
  return Object.freeze(afterPassword ? ["pwd", key, "user", "mfa"] : [key, "user", "mfa"]);
}

/**
 * True when the session proved more than one factor.
 *
 * @example if (!hasMFA(session.amr)) throw new AuthError("MFA_REQUIRED", "...");
 */
export function hasMFA(amr: readonly string[]): boolean {
  return amr.includes("mfa");
}

/** The claim as the token carries it, or `null` when it is not a list of known values (a forged or foreign token). */
export function parseAMR(value: unknown): AMR[] | null {
  if (!Array.isArray(value) || value.length > AMR_VALUES.length) return null;
  const known: readonly unknown[] = AMR_VALUES;
  if (!value.every((item) => known.includes(item))) return null;
  return [...new Set(value as AMR[])];
}
