import { eq, sql } from "drizzle-orm";
import { AuthError } from "../errors.ts";
import { assertUnchanged, createPasswordConfirmation, type Current } from "../passwords/confirm-password.ts";
import { raiseCredentialVersion } from "../database/credential-version.ts";
import { rethrowDatabaseError } from "../database/db-errors.ts";
import { assertUUID, isUUID } from "../lib/uuid.ts";
import type { AuthConfig } from "../config/options.ts";
import type { PasswordGates } from "../passwords/password-gates.ts";
import { assertPasswordPolicy } from "../passwords/password.ts";
import { securityEvents, users } from "../database/schema.ts";
import { recordSecurityEvent } from "../database/security-event-log.ts";
import { cleanClientInfo } from "../throttling/client-info.ts";
import type { LocalRevocations } from "../sessions/session-cache.ts";
import type { SessionStore } from "../sessions/session-store.ts";
import type { SigninThrottle } from "../throttling/throttle.ts";
import type { ClientInfo, Session } from "../types.ts";
import type { CodeConfirmation } from "../second-factors/totp-enrolment.ts";

/** Self-service account operations for a signed-in user. */
export interface AccountService {
  /**
   * Checks the current password (and, with TOTP on, `code`: a TOTP or recovery code, else
   * `SECOND_FACTOR_INVALID`), sets the new one and revokes every other session.
   */
  changePassword(current: Current, input: { currentPassword: string; newPassword: string; code?: string }, client?: ClientInfo): Promise<void>;
  /** Checks the password (and `code` with TOTP on) and deletes the user with all sessions; old tokens stop working. */
  deleteUser(current: Current, input: { password: string; code?: string }, client?: ClientInfo): Promise<void>;
  /** The user's live sessions, most recently used first. `INVALID_INPUT` when `userId` is not a UUID. */
  listSessions(userId: string): Promise<Session[]>;
  /** Revokes one of the user's own sessions; `NOT_FOUND` for any other id, `INVALID_INPUT` for a malformed `userId`. */
  revokeSession(userId: string, sessionId: string): Promise<void>;
}

interface Deps {
  /** Drops what this instance cached, once a revocation here has committed. */
  revoked: LocalRevocations;
  config: AuthConfig;
  store: SessionStore;
  throttle: SigninThrottle;
  /** Bounds concurrent password checks and argon2 calls; see passwords/password-gates.ts. */
  passwords: PasswordGates;
  /** The second factor a sensitive change asks for while TOTP is on. */
  codes: CodeConfirmation;
  /** The owner's alert for a password change (queued, never awaited). */
  mail: { passwordChanged(to: string, at: Date): void };
}

export function createAccountService({ config, store, throttle, passwords, revoked, codes, mail }: Deps): AccountService {
  const { db } = config;

  const confirmPassword = createPasswordConfirmation({ config, throttle, passwords });

  return {
    async changePassword(current, { currentPassword, newPassword, code }, client = {}) {
      assertPasswordPolicy(newPassword, "newPassword");
      assertUUID(current.user.id, "user.id");
      assertUUID(current.session.id, "session.id");
      try {
        const confirmed = await confirmPassword(current, currentPassword, client);
        await codes.confirmCode(current, code, confirmed);
        const passwordHash = await passwords.checks.run(() => passwords.hash(newPassword));
        const now = config.now();
        await db.transaction(async (tx) => {
          await assertUnchanged(tx, current.user.id, confirmed);
          await tx.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, current.user.id));
          // This device stays signed in; every other session, link and pending change dies.
          await raiseCredentialVersion(tx, current.user.id, { keep: current.session.id });
          await store.revokeAllForUser(tx, current.user.id, { reason: "password_changed", except: current.session.id });
          const { ipAddress, userAgent } = cleanClientInfo(client);
          await recordSecurityEvent(tx, { userId: current.user.id, type: "password_changed", at: now, sessionId: current.session.id, ipAddress, userAgent });
        });
        revoked.user(current.user.id);
        mail.passwordChanged(current.user.email, now);
      } catch (error) {
        rethrowDatabaseError(error);
      }
    },

    async deleteUser(current, { password, code }, client = {}) {
      assertUUID(current.user.id, "user.id");
      try {
        const confirmed = await confirmPassword(current, password, client);
        await codes.confirmCode(current, code, confirmed);
        await db.transaction(async (tx) => {
          await assertUnchanged(tx, current.user.id, confirmed);
          // Sessions, refresh tokens and links go with the user (ON DELETE CASCADE). The activity log
          // stays, for the receivers its events are queued for, but without what identifies a
          // person: no address, no browser, and no device key (which holds both).
          await tx
            .update(securityEvents)
            .set({ ipAddress: null, userAgent: null, detail: sql`${securityEvents.detail} - 'device'` })
            .where(eq(securityEvents.userId, current.user.id));
          await tx.delete(users).where(eq(users.id, current.user.id));
          await recordSecurityEvent(tx, { userId: current.user.id, type: "account_deleted", at: config.now() });
        });
        revoked.user(current.user.id);
      } catch (error) {
        rethrowDatabaseError(error);
      }
    },

    async listSessions(userId) {
      assertUUID(userId, "userId");
      return store.listLive(userId).catch(rethrowDatabaseError);
    },

    async revokeSession(userId, sessionId) {
      assertUUID(userId, "userId");
      // Only a well-formed id reaches the database. The session id is the client's choice, so
      // junk is NOT_FOUND like any id that is not one of the user's sessions.
      if (!isUUID(sessionId)) throw new AuthError("NOT_FOUND", "No such session.");
      const found = await store.revoke(db, { sessionId, userId }, "revoked_by_user").catch(rethrowDatabaseError);
      revoked.sessions([sessionId]);
      if (!found) throw new AuthError("NOT_FOUND", "No such session.");
    },
  };
}
