/**
 * Password reset, email verification and email change: the flows that mail a link.
 *
 * - Links carry a single-use token (see recovery/email-tokens.ts): resets live `resetTtl` (30 min),
 *   verification and email-change links 24 h. A new link voids older ones of its kind, and any
 *   credential change voids them all (database/credential-version.ts), pending email changes included.
 * - Mail is sent off the request path (recovery/background.ts); a send failure is logged, never answered.
 * - `requestPasswordReset` answers before it even looks the address up, so neither its body,
 *   its status nor its timing says whether an account exists.
 */
import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { AuthError } from "../errors.ts";
import { type CounterSpec, hit } from "../throttling/counters.ts";
import { assertUnchanged, createPasswordConfirmation, type Current } from "../passwords/confirm-password.ts";
import { raiseCredentialVersion } from "../database/credential-version.ts";
import { cleanClientInfo } from "../throttling/client-info.ts";
import { isUniqueViolation, rethrowDatabaseError } from "../database/db-errors.ts";
import { createEmailTokens, VERIFY_TTL } from "./email-tokens.ts";
import type { Background } from "./background.ts";
import type { PasswordGates } from "../passwords/password-gates.ts";
import type { RecoveryMail } from "./recovery-mail.ts";
import { toUser, type Tx, userColumns } from "../database/rows.ts";
import { createThrottleKeys } from "../throttling/throttle-keys.ts";
import { assertUUID } from "../lib/uuid.ts";
import {
  changeEmailInputSchema,
  type ChangeEmailInput,
  parseInput,
  requestPasswordResetInputSchema,
  type RequestPasswordResetInput,
  resetPasswordInputSchema,
  type ResetPasswordInput,
  verifyEmailInputSchema,
  type VerifyEmailInput,
} from "../input.ts";
import type { AuthConfig } from "../config/options.ts";
import { assertPasswordPolicy } from "../passwords/password.ts";
import { users } from "../database/schema.ts";
import { recordSecurityEvent } from "../database/security-event-log.ts";
import type { LocalRevocations } from "../sessions/session-cache.ts";
import type { OpenedSession, SessionStore, SigninOwner } from "../sessions/session-store.ts";
import type { SigninThrottle } from "../throttling/throttle.ts";
import type { AuthResult, ClientInfo, User } from "../types.ts";
import { mfaRequired, type PendingSecondStep, type SigninStep } from "../second-factors/second-step.ts";
import type { CodeConfirmation } from "../second-factors/totp-enrolment.ts";

/** Password-reset requests per client address per hour: enough for a household behind one NAT. */
export const RESET_MAX_PER_IP = 20;
const RESET_IP_WINDOW = 3600;
/** One reset mail per address per minute, and one verification or change mail per user per minute. */
export const MAIL_INTERVAL = 60;

/** What `verifyEmail` did: verified the current address, or moved the account to a new one. */
export interface VerifyEmailResult {
  status: "verified" | "email_changed";
  /** The account's email now. */
  email: string;
}

export interface AccountRecovery {
  /**
   * Mails a reset link if the address has an account. Returns the same way either way; throws
   * only `INVALID_INPUT` and `RATE_LIMITED` (a 2nd request for any address within 60 s, or too
   * many from one client address), which are decided before any account is looked up.
   */
  requestPasswordReset(input: RequestPasswordResetInput, client?: ClientInfo): Promise<void>;
  /**
   * Sets a new password with a reset token, signs every session out and opens one for this
   * device. Throws `WEAK_PASSWORD`, `LINK_INVALID`, `LINK_EXPIRED`, `LINK_USED` or `SERVER_BUSY`,
   * and `MFA_REQUIRED` (changing nothing, the link still usable) when the account has TOTP on:
   * use `resetPasswordOrChallenge` there.
   */
  resetPassword(input: ResetPasswordInput, client?: ClientInfo): Promise<AuthResult>;
  /**
   * Like `resetPassword`, but with TOTP on the reset still sets the password and signs every
   * session out, then answers `{ mfaRequired: true, mfaToken, methods }` instead of a session:
   * a reset link alone never opens one. `verifySecondFactor` takes it from there.
   */
  resetPasswordOrChallenge(input: ResetPasswordInput, client?: ClientInfo): Promise<SigninStep>;
  /**
   * Consumes a verification or email-change token. An email change revokes every other session
   * (`options.sessionId`, the caller's own session, survives) and throws `EMAIL_TAKEN` when the
   * new address got an account meanwhile. Also `LINK_INVALID`, `LINK_EXPIRED`, `LINK_USED`.
   */
  verifyEmail(input: VerifyEmailInput, options?: { sessionId?: string | null }): Promise<VerifyEmailResult>;
  /** Mails a new verification link (none when already verified). `RATE_LIMITED`: one a minute. */
  resendVerification(current: Current): Promise<void>;
  /**
   * Checks the password (throttled like sign-in), and with TOTP on `code` (`SECOND_FACTOR_INVALID`
   * when absent or wrong), then mails a confirmation link to `newEmail`
   * and a notice to the current address. The email changes only when the link is used.
   * `EMAIL_TAKEN` for an address with an account, unless verification is required: then the
   * answer is the same and that address's owner is told instead.
   */
  changeEmail(current: Current, input: ChangeEmailInput, client?: ClientInfo): Promise<void>;
}

interface Deps {
  config: AuthConfig;
  store: SessionStore;
  throttle: SigninThrottle;
  passwords: PasswordGates;
  /** Drops this instance's cached copies of a changed user at once; other instances hear NOTIFY. */
  revoked: LocalRevocations;
  mail: RecoveryMail;
  background: Background;
  openSession(tx: Tx, owner: SigninOwner, client: ClientInfo): Promise<OpenedSession>;
  result(user: User, opened: OpenedSession): Promise<AuthResult>;
  /** A password session, or with TOTP on the second step's token (see create-auth.ts). */
  openOrChallenge(tx: Tx, owner: Omit<SigninOwner, "amr">, client: ClientInfo): Promise<OpenedSession | PendingSecondStep>;
  stepOf(user: User, opened: OpenedSession | PendingSecondStep): Promise<SigninStep>;
  codes: CodeConfirmation;
}

function rateLimited(retryAfter: number, what: string): AuthError {
  return new AuthError("RATE_LIMITED", `Too many ${what}. Try again in ${retryAfter} seconds.`, { retryAfter });
}

export function createAccountRecovery(deps: Deps): AccountRecovery {
  const { config, store, mail, background } = deps;
  const { db } = config;
  const tokens = createEmailTokens(config);
  const keys = createThrottleKeys(config);
  const { passwords } = deps;
  const confirmPassword = createPasswordConfirmation({ config, throttle: deps.throttle, passwords });

  async function limit(spec: CounterSpec, what: string): Promise<void> {
    const counted = await hit(db, spec, config.now());
    if (counted.over) throw rateLimited(counted.retryAfter, what);
  }

  /**
   * Sets the password with a reset token and signs every session out; then opens this device's
   * session, or with TOTP on answers the second step. `refuseSecondStep` (the one-step
   * `resetPassword`) throws `MFA_REQUIRED` inside the transaction instead, so nothing changes.
   */
  async function reset(input: ResetPasswordInput, rawClient: ClientInfo, { refuseSecondStep }: { refuseSecondStep: boolean }): Promise<SigninStep> {
    const client = cleanClientInfo(rawClient);
    const { token, password } = parseInput(resetPasswordInputSchema, input);
    assertPasswordPolicy(password);
    try {
      // A cheap read first: a junk token never costs an argon2id hash.
      await tokens.check(db, token, ["password_reset"]);
      // Through the gates, like every argon2 call: a reset flood must not take every core.
      const passwordHash = await passwords.checks.run(() => passwords.hash(password));
      const now = config.now();
      const { user, opened } = await db.transaction(async (tx) => {
        // Locks the user row and checks the link's credential version: a link mailed before
        // a password change, an email change or a sign-out everywhere is void.
        const row = await tokens.consume(tx, token, ["password_reset"]);
        if (refuseSecondStep && (await deps.codes.secondFactorOn(tx, row.userId))) throw mfaRequired();
        const [updated] = await tx
          .update(users)
          // The link reached this address's inbox, which proves it as well as a verify link.
          .set({ passwordHash, updatedAt: now, emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${now.toISOString()}::timestamptz)` })
          .where(eq(users.id, row.userId))
          .returning(userColumns);
        if (!updated) throw new AuthError("LINK_INVALID", "This link is not valid.");
        // Whoever knew the old password, or holds a stolen refresh token, is signed out, and
        // every other link, pending email change and pending second step dies with the old version.
        const credentialVersion = await raiseCredentialVersion(tx, updated.id);
        await store.revokeAllForUser(tx, updated.id, { reason: "password_reset" });
        await recordSecurityEvent(tx, { userId: updated.id, type: "password_reset", at: now, ipAddress: client.ipAddress, userAgent: client.userAgent });
        const owner = { userId: updated.id, credentialVersion: credentialVersion ?? updated.credentialVersion, method: "reset" as const };
        // With TOTP or a passkey, the link proved the inbox, not the second factor: no session yet.
        return { user: toUser(updated), opened: await deps.openOrChallenge(tx, owner, client) };
      });
      deps.revoked.user(user.id);
      mail.passwordResetDone(user.email, now);
      return await deps.stepOf(user, opened);
    } catch (error) {
      return rethrowDatabaseError(error);
    }
  }

  return {
    async requestPasswordReset(input, rawClient = {}) {
      const { email } = parseInput(requestPasswordResetInputSchema, input);
      const { ipAddress } = cleanClientInfo(rawClient);
      try {
        // Keyed by what the caller typed, never by whether it is an account: the limit leaks nothing.
        if (ipAddress) await limit({ key: keys.resetsFrom(ipAddress), limit: RESET_MAX_PER_IP, window: RESET_IP_WINDOW }, "password reset requests");
        await limit({ key: keys.resetsFor(email), limit: 1, window: MAIL_INTERVAL }, "password reset requests for this address");
      } catch (error) {
        rethrowDatabaseError(error);
      }
      // Everything that depends on the account happens after the answer.
      background.run("auth: password reset request failed", async () => {
        const [user] = await db.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
        if (!user) return;
        const token = await db.transaction((tx) => tokens.issue(tx, { userId: user.id, purpose: "password_reset", ttl: config.resetTtl }));
        mail.reset(email, token);
      });
    },

    async resetPassword(input, client = {}) {
      const step = await reset(input, client, { refuseSecondStep: true });
      // Unreachable: the transaction refused before changing anything. Checked for the types.
      if (step.mfaRequired) throw mfaRequired();
      return step.result;
    },

    resetPasswordOrChallenge: (input, client = {}) => reset(input, client, { refuseSecondStep: false }),

    async verifyEmail(input, options = {}) {
      const { token } = parseInput(verifyEmailInputSchema, input);
      const now = config.now();
      try {
        const verified = await db.transaction(async (tx): Promise<VerifyEmailResult & { userId: string; previousEmail?: string }> => {
          const row = await tokens.consume(tx, token, ["verify_email", "change_email"]);
          if (row.purpose === "verify_email") {
            const [user] = await tx
              .update(users)
              .set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${now.toISOString()}::timestamptz)` })
              .where(eq(users.id, row.userId))
              .returning({ email: users.email });
            if (!user) throw new AuthError("LINK_INVALID", "This link is not valid.");
            return { status: "verified", email: user.email, userId: row.userId };
          }
          const newEmail = row.newEmail ?? "";
          const [taken] = await tx.select({ id: users.id }).from(users).where(and(eq(users.email, newEmail), ne(users.id, row.userId))).limit(1);
          if (taken) throw new AuthError("EMAIL_TAKEN", "An account with this email already exists.");
          // The row is locked (consume): the address read here is the one being replaced.
          const [old] = await tx.select({ email: users.email }).from(users).where(eq(users.id, row.userId));
          const [user] = await tx
            .update(users)
            .set({ email: newEmail, emailVerifiedAt: now, updatedAt: now })
            .where(eq(users.id, row.userId))
            .returning({ email: users.email });
          if (!user || !old) throw new AuthError("LINK_INVALID", "This link is not valid.");
          // A credential change: links mailed to the old address (a reset, say) die with the old
          // version, and so does every other session but the one confirming, if it is the user's.
          const except = options.sessionId ?? undefined;
          await raiseCredentialVersion(tx, row.userId, except ? { keep: except } : {});
          await store.revokeAllForUser(tx, row.userId, { reason: "email_changed", ...(except ? { except } : {}) });
          // The old address is not kept in the log: the event says what changed, not to what.
          await recordSecurityEvent(tx, { userId: row.userId, type: "email_changed", at: now });
          return { status: "email_changed", email: user.email, userId: row.userId, previousEmail: old.email };
        });
        // Cached sessions hold the user as it was: its email and verification just changed.
        deps.revoked.user(verified.userId);
        // Loudly: the old address hears that it no longer controls the account.
        if (verified.previousEmail) mail.emailChanged(verified.previousEmail, verified.email);
        return { status: verified.status, email: verified.email };
      } catch (error) {
        // The unique index decides a race with a registration that the check above did not see.
        if (isUniqueViolation(error)) throw new AuthError("EMAIL_TAKEN", "An account with this email already exists.");
        return rethrowDatabaseError(error);
      }
    },

    async resendVerification(current) {
      assertUUID(current.user.id, "user.id");
      try {
        await limit({ key: keys.userMail("verify", current.user.id), limit: 1, window: MAIL_INTERVAL }, "verification emails");
        const sent = await db.transaction(async (tx) => {
          const [user] = await tx
            .select({ email: users.email })
            .from(users)
            .where(and(eq(users.id, current.user.id), isNull(users.emailVerifiedAt)));
          if (!user) return null;
          return { to: user.email, token: await tokens.issue(tx, { userId: current.user.id, purpose: "verify_email", ttl: VERIFY_TTL }) };
        });
        if (sent) mail.verify(sent.to, sent.token);
      } catch (error) {
        rethrowDatabaseError(error);
      }
    },

    async changeEmail(current, input, client = {}) {
      assertUUID(current.user.id, "user.id");
      const { password, newEmail, code } = parseInput(changeEmailInputSchema, input);
      if (newEmail === current.user.email) {
        throw new AuthError("INVALID_INPUT", "That is already your email.", { fieldErrors: { newEmail: ["That is already your email"] } });
      }
      try {
        const confirmed = await confirmPassword(current, password, client);
        // Before the address is looked up: a taken one must not skip the code (nor tell it apart).
        await deps.codes.confirmCode(current, code, confirmed);
        // Counted after the password: a person mistyping it is not refused mail for a minute.
        await limit({ key: keys.userMail("change", current.user.id), limit: 1, window: MAIL_INTERVAL }, "email change requests");
        const [taken] = await db.select({ id: users.id }).from(users).where(eq(users.email, newEmail)).limit(1);
        if (taken && !config.requireEmailVerification) throw new AuthError("EMAIL_TAKEN", "An account with this email already exists.");
        if (taken) {
          // The same answer as for a free address; that address's owner learns someone tried.
          mail.registrationAttempt(newEmail);
          return;
        }
        const token = await db.transaction(async (tx) => {
          // Under the version the password was checked at: a change that committed meanwhile wins.
          await assertUnchanged(tx, current.user.id, confirmed);
          return tokens.issue(tx, { userId: current.user.id, purpose: "change_email", newEmail, ttl: VERIFY_TTL });
        });
        mail.confirmChange(newEmail, token);
        mail.changeNotice(current.user.email, newEmail);
      } catch (error) {
        rethrowDatabaseError(error);
      }
    },
  };
}
