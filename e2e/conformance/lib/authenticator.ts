import { Secret, TOTP } from "otpauth";

/** Seconds per TOTP step, as the deployment's `otpauthUrl` says (`period=30`). */
const PERIOD = 30;
/**
 * How close to its end a step may be for the suite still to send the previous step's code: that
 * code is one step old now, and would be two (refused) if the request arrived after the turn.
 */
const SAFE_MARGIN_MS = 5_000;

/** An authenticator app holding one account's secret: it gives codes, each of a later step. */
export interface Authenticator {
  /** The base32 secret `account.totpSetup` answered. */
  readonly secret: string;
  /**
   * A code the server has not seen yet: the server accepts the previous, current and next step,
   * each once and only in increasing order, so up to three fresh codes fit in one 30 s step
   * without waiting. When none is left, this waits for the next step.
   */
  nextCode(): Promise<string>;
  /** The code of the step last handed out, to replay it. Throws before the first `nextCode`. */
  lastCode(): string;
  /** A six-digit code that matches none of the steps the server would accept now or soon. */
  wrongCode(): string;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An authenticator for `secret`, computing codes with `otpauth` (SHA-1, 6 digits, 30 s).
 *
 * @example
 * const app = createAuthenticator(secret);
 * await ctx.api.mutation("account.totpEnable", { code: await app.nextCode() }, { token });
 */
export function createAuthenticator(secret: string): Authenticator {
  const totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: "SHA1", digits: 6, period: PERIOD });
  const codeAt = (step: number) => totp.generate({ timestamp: step * PERIOD * 1000 });
  let lastStep: number | null = null;

  return {
    secret,
    async nextCode() {
      for (;;) {
        const now = Date.now();
        const current = Math.floor(now / (PERIOD * 1000));
        const leftInStep = (current + 1) * PERIOD * 1000 - now;
        const earliest = leftInStep > SAFE_MARGIN_MS ? current - 1 : current;
        const step = lastStep === null ? earliest : Math.max(earliest, lastStep + 1);
        // The next step is still accepted after the turn, as the current one then.
        if (step <= current + 1) {
          lastStep = step;
          return codeAt(step);
        }
        await pause(leftInStep + 50);
      }
    },
    lastCode() {
      if (lastStep === null) throw new Error("lastCode() before any nextCode()");
      return codeAt(lastStep);
    },
    wrongCode() {
      const current = Math.floor(Date.now() / (PERIOD * 1000));
      // Two steps either side: the window moves while the suite sends its wrong codes.
      const accepted = new Set([-2, -1, 0, 1, 2].map((offset) => codeAt(current + offset)));
      for (let candidate = 0; ; candidate += 1) {
        const code = String((current * 7919 + candidate * 104_729) % 1_000_000).padStart(6, "0");
        if (!accepted.has(code)) return code;
      }
    },
  };
}
