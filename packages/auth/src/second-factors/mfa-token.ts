/**
 * The token of a sign-in's second step (`mfaToken`): what `signin` (or `resetPassword`) answers
 * instead of a session when the account has TOTP on, and `verifySecondFactor` takes back.
 *
 * - Opaque: `mfa_` and 256 random bits. Only its SHA-256 is stored (a fast hash is enough for
 *   256 random bits), so a database dump holds no usable token.
 * - Bound to the attempt: the user, the credential version the password was checked under (a
 *   credential change meanwhile kills it) and the client address it was issued to.
 * - Alive `MFA_TOKEN_TTL` seconds, used once, and dead after `maxFailures` wrong codes.
 */
import { createHash, randomBytes } from "node:crypto";

/** Seconds an mfaToken lives: long enough to open an app and type a code, short for a thief. */
export const MFA_TOKEN_TTL = 300;

const PREFIX = "mfa_";
const BODY = /^[A-Za-z0-9_-]{43}$/;

/**
 * A new token and the hash to store.
 *
 * @example const { token, hash } = createMFAToken(); // store `hash`, answer `token`
 */
export function createMFAToken(): { token: string; hash: string } {
  const token = `${PREFIX}${randomBytes(32).toString("base64url")}`;
  return { token, hash: hashMFAToken(token) };
}

/** What the token is stored and looked up by. */
export function hashMFAToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("base64url");
}

/** True for a string shaped like a token: anything else is refused before a look-up. */
export function isWellFormedMFAToken(value: unknown): value is string {
  return typeof value === "string" && value.length === PREFIX.length + 43 && value.startsWith(PREFIX) && BODY.test(value.slice(PREFIX.length));
}

/** The stored challenge, as far as deciding whether it may still be answered goes. */
export interface MFAChallengeState {
  credentialVersion: number;
  /** The client address the token was issued to, as cleaned for the session column; `null` when the host passed none. */
  ipAddress: string | null;
  expiresAt: Date;
  failures: number;
  usedAt: Date | null;
}

/**
 * True while the challenge may be answered by this client at `now`: not used, not expired, not
 * out of attempts, asked from the address it was issued to, and under the account's current
 * credential version (a password change, reset or sign-out everywhere since kills it).
 *
 * @example if (!mfaChallengeUsable(row, { now, ipAddress, credentialVersion, maxFailures: 5 })) throw invalidToken();
 */
export function mfaChallengeUsable(
  challenge: MFAChallengeState,
  current: { now: Date; ipAddress: string | null; credentialVersion: number | null; maxFailures: number },
): boolean {
  return (
    challenge.usedAt === null &&
    challenge.expiresAt > current.now &&
    challenge.failures < current.maxFailures &&
    challenge.ipAddress === current.ipAddress &&
    challenge.credentialVersion === current.credentialVersion
  );
}
