/**
 * The new-device alert and its "This wasn't me" link.
 *
 * - The alert is mailed after the sign-in committed, off the request path: issuing its token and
 *   sending it never delay or fail the sign-in.
 * - The link's token (`notme_…`) is single-use, lives 24 h and records the account's credential
 *   version, like every emailed token: a newer alert supersedes it, and so does any credential
 *   change (the owner who already reset the password no longer needs it).
 * - Using it signs the account out everywhere (credential version raised, every session revoked
 *   with reason `reported_by_owner`) and answers a password-reset token, issued under the new
 *   version in the same transaction, so the page can go straight on to /reset-password.
 */
import { raiseCredentialVersion } from "../database/credential-version.ts";
import { rethrowDatabaseError } from "../database/db-errors.ts";
import type { AuthConfig } from "../config/options.ts";
import { parseInput, reportUnrecognizedSigninInputSchema, type ReportUnrecognizedSigninInput } from "../input.ts";
import type { SigninPlace } from "../mail/alert-templates.ts";
import type { LocalRevocations } from "../sessions/session-cache.ts";
import type { SessionStore } from "../sessions/session-store.ts";
import type { Background } from "./background.ts";
import { type EmailTokens, VERIFY_TTL } from "./email-tokens.ts";
import type { RecoveryMail } from "./recovery-mail.ts";

export interface UnrecognizedSignin {
  /** Mails the owner of `userId` about a sign-in from a new device, with a fresh "This wasn't me" link. Returns at once. */
  alertNewDevice(owner: { userId: string; email: string }, place: SigninPlace): void;
  /**
   * Uses a "This wasn't me" token: signs out everywhere and returns a password-reset token.
   * Throws `LINK_INVALID`, `LINK_USED` or `LINK_EXPIRED` like every link.
   */
  reportUnrecognizedSignin(input: ReportUnrecognizedSigninInput): Promise<{ resetToken: string }>;
}

interface Deps {
  config: AuthConfig;
  store: SessionStore;
  tokens: EmailTokens;
  mail: RecoveryMail;
  background: Background;
  revoked: LocalRevocations;
}

export function createUnrecognizedSignin({ config, store, tokens, mail, background, revoked }: Deps): UnrecognizedSignin {
  return {
    alertNewDevice(owner, place) {
      if (!config.alerts.newDevice) return;
      background.run("auth: could not mail a new-device alert", async () => {
        const token = await config.db.transaction((tx) => tokens.issue(tx, { userId: owner.userId, purpose: "not_me", ttl: VERIFY_TTL }));
        mail.newDeviceSignin(owner.email, place, token);
      });
    },

    async reportUnrecognizedSignin(input) {
      const { token } = parseInput(reportUnrecognizedSigninInputSchema, input);
      try {
        const { userId, resetToken } = await config.db.transaction(async (tx) => {
          // Locks the user row and checks the token's credential version before anything changes.
          const row = await tokens.consume(tx, token, ["not_me"]);
          // Whoever signed in (and any link or half-finished sign-in they started) is out.
          await raiseCredentialVersion(tx, row.userId);
          await store.revokeAllForUser(tx, row.userId, { reason: "reported_by_owner" });
          // Under the new version: the reset link outlives the sign-out it follows.
          const resetToken = await tokens.issue(tx, { userId: row.userId, purpose: "password_reset", ttl: config.resetTtl });
          return { userId: row.userId, resetToken };
        });
        revoked.user(userId);
        return { resetToken };
      } catch (error) {
        return rethrowDatabaseError(error);
      }
    },
  };
}
