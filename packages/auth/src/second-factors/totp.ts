/**
 * TOTP (RFC 6238) as every authenticator app reads it: SHA-1, 6 digits, 30-second steps, and a
 * 160-bit secret (RFC 4226 §4 asks for at least 128, and recommends 160). The codes themselves
 * come from `otpauth`; this file only decides which steps may be accepted.
 *
 * Replay: the caller stores the step a code was accepted for, and passes it back as `after`;
 * only a later step is accepted, so a code seen over a shoulder, or in a log, works once.
 * Drift: one step either side of now, for a phone clock a little off or a code typed late.
 */
import { HOTP, Secret, TOTP } from "otpauth";

export const TOTP_ALGORITHM = "SHA1";
export const TOTP_DIGITS = 6;
/** Seconds per step. */
export const TOTP_PERIOD = 30;
/** Random bytes in a new secret: 160 bits, 32 base32 characters. */
export const TOTP_SECRET_BYTES = 20;
/** Steps accepted either side of the current one. */
export const TOTP_DRIFT_STEPS = 1;

/**
 * A new secret from the CSPRNG, base32 as authenticator apps take it.
 *
 * @example const secret = createTOTPSecret(); // "JBSWY3DPEHPK3PXP…", 32 characters
 */
export function createTOTPSecret(): string {
  return new Secret({ size: TOTP_SECRET_BYTES }).base32;
}

/**
 * The `otpauth://totp/…` URI an app scans: issuer in the label and as a parameter (both, as
 * Google's key-URI format asks), the account's address as the label, and every parameter spelt
 * out so no app falls back to a default of its own.
 *
 * @example totpURL({ secret, issuer: "bearer-kit", account: "ada@example.com" })
 * // "otpauth://totp/bearer-kit:ada%40example.com?issuer=bearer-kit&secret=…&algorithm=SHA1&digits=6&period=30"
 */
export function totpURL({ secret, issuer, account }: { secret: string; issuer: string; account: string }): string {
  return new TOTP({
    issuer,
    label: account,
    secret: Secret.fromBase32(secret),
    algorithm: TOTP_ALGORITHM,
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD,
  }).toString();
}

/** The time step `now` falls in. */
export function totpStep(now: Date): number {
  return TOTP.counter({ period: TOTP_PERIOD, timestamp: now.getTime() });
}

/** The code as typed, without the spaces apps show in the middle; `null` unless it is 6 digits. */
export function normalizeTOTPCode(code: string): string | null {
  const digits = code.replace(/[\s-]/g, "");
  return new RegExp(`^\\d{${TOTP_DIGITS}}$`).test(digits) ? digits : null;
}

/**
 * The step `code` is valid for, among now and `TOTP_DRIFT_STEPS` either side, counting only steps
 * after `after` (the last one accepted, or `null` when none was); `null` when it matches none.
 *
 * Every candidate step is checked, with otpauth's constant-time comparison, whether or not an
 * earlier one matched: the time taken says nothing about which step, if any, the code was for.
 *
 * @example
 * const step = matchTOTP(secret, "123456", { now: new Date(), after: row.lastUsedStep });
 * if (step === null) throw new AuthError("SECOND_FACTOR_INVALID", "...");
 * // store `step` as the last used one, in the same transaction
 */
export function matchTOTP(secret: string, code: string, { now, after }: { now: Date; after: number | null }): number | null {
  const token = normalizeTOTPCode(code);
  if (token === null) return null;
  const key = Secret.fromBase32(secret);
  const current = totpStep(now);
  let matched: number | null = null;
  for (let step = current - TOTP_DRIFT_STEPS; step <= current + TOTP_DRIFT_STEPS; step += 1) {
    const valid = HOTP.validate({ token, secret: key, algorithm: TOTP_ALGORITHM, digits: TOTP_DIGITS, counter: step, window: 0 }) === 0;
    // The latest matching step: storing it refuses every code up to it afterwards.
    if (valid && (after === null || step > after)) matched = step;
  }
  return matched;
}

/**
 * The code an app shows for `secret` at `now`: for tests and for tools that enrol a test account.
 *
 * @example await auth.verifySecondFactor({ mfaToken, code: totpCode(secret, clock.now()) });
 */
export function totpCode(secret: string, now: Date): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), algorithm: TOTP_ALGORITHM, digits: TOTP_DIGITS, period: TOTP_PERIOD, timestamp: now.getTime() });
}
