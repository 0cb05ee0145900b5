/**
 * Recovery codes: ten single-use codes, shown once, for a lost authenticator.
 *
 * Each is 12 characters of Crockford's base32 (no I, L, O or U: nothing to misread), 60 random
 * bits, shown as `XXXX-XXXX-XXXX`. Typed input is forgiving: case, spaces and hyphens are
 * ignored, and O, I and L read as 0, 1 and 1, as Crockford's alphabet defines.
 *
 * Stored as HMAC-SHA256 under a key derived from the server secret, not with argon2: a password
 * needs a slow hash because people choose guessable ones, but 60 random bits are not guessable.
 * Even unkeyed, reversing one hash takes ~2^59 SHA-256 evaluations on average; keyed, a database
 * dump without the secret gives no way to test a guess at all. A slow hash would add an argon2
 * call per stored code to every use (ten of them) and buy nothing.
 */
import { createHmac, hkdfSync, randomBytes } from "node:crypto";

/** Codes in a set. */
export const RECOVERY_CODE_COUNT = 10;
/** Characters per code: 5 bits each, 60 bits in all (the issue asks for at least 50). */
export const RECOVERY_CODE_LENGTH = 12;
/** The HKDF label of the recovery-code HMAC key. */
export const RECOVERY_CODE_LABEL = "bearer-kit recovery codes";

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const READ_AS: Readonly<Record<string, string>> = { O: "0", I: "1", L: "1" };

/**
 * A new set of codes, formatted for display.
 *
 * @example createRecoveryCodes() // ["7KQ2-M9XD-4T0B", …] (10 codes)
 */
export function createRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    // 256 is a multiple of 32, so `byte & 31` is uniform: no modulo bias.
    const chars = [...randomBytes(RECOVERY_CODE_LENGTH)].map((byte) => ALPHABET.charAt(byte & 31)).join("");
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
  });
}

/** The code in its stored form (12 upper-case characters), or `null` when it cannot be one. */
export function normalizeRecoveryCode(input: string): string | null {
  if (input.length > 64) return null;
  const chars = [...input.toUpperCase().replace(/[\s-]/g, "")].map((char) => READ_AS[char] ?? char).join("");
  if (chars.length !== RECOVERY_CODE_LENGTH || [...chars].some((char) => !ALPHABET.includes(char))) return null;
  return chars;
}

/**
 * The keyed hash a code is stored and looked up by. Looked up by equality in the database:
 * the hash is keyed by the server secret, so how long a look-up takes reveals nothing an
 * attacker could steer towards a valid code.
 *
 * @example const hash = createRecoveryCodeHasher(config.secret); hash(normalizeRecoveryCode(typed))
 */
export function createRecoveryCodeHasher(secret: Uint8Array): (normalized: string) => string {
  const key = new Uint8Array(hkdfSync("sha256", secret, new Uint8Array(0), RECOVERY_CODE_LABEL, 32));
  return (normalized) => createHmac("sha256", key).update(normalized, "utf8").digest("base64url");
}
