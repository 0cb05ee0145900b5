import { Secret, TOTP } from "otpauth";

const PERIOD = 30;

/** Codes of one authenticator, each of a later time step than the last. */
export interface TotpCodes {
  /**
   * A code the server has not seen: of the current step, or of the next one when that was used.
   * Throws rather than hand out a code the server would refuse (two steps ahead): a test needs
   * at most two codes in one step, and takes recovery codes beyond that.
   */
  next(): string;
}

/**
 * What the person's phone shows, for the secret the /account page displayed. The server takes a
 * step once and accepts one step of drift, so instead of waiting up to 30 s for a fresh code the
 * test takes the next step's code early, as a phone whose clock runs slightly ahead would.
 *
 * @example const codes = totpCodes(secret); await page.getByLabel("Code from your app").fill(codes.next());
 */
export function totpCodes(secret: string): TotpCodes {
  const totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: "SHA1", digits: 6, period: PERIOD });
  let lastStep = -1;
  return {
    next() {
      const current = Math.floor(Date.now() / 1000 / PERIOD);
      const step = Math.max(current, lastStep + 1);
      if (step > current + 1) throw new Error("a third TOTP code within one 30 s step: use a recovery code");
      lastStep = step;
      return totp.generate({ timestamp: step * PERIOD * 1000 });
    },
  };
}
