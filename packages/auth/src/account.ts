import { eq } from "drizzle-orm";
import { AuthError } from "./errors.ts";
import { cleanClientInfo } from "./lib/client-info.ts";
import { rethrowDatabaseError } from "./lib/db-errors.ts";
import { assertUUID, isUUID } from "./lib/uuid.ts";
import type { AuthConfig } from "./options.ts";
import { assertPasswordPolicy, hashPassword, verifyPassword } from "./password.ts";
import { users } from "./schema.ts";
import type { LocalRevocations } from "./session-cache.ts";
import type { SessionStore } from "./session-store.ts";
import type { SigninThrottle } from "./throttle.ts";
import type { ClientInfo, Session } from "./types.ts";

type Current = { user: { id: string; email: string }; session: { id: string } };

/** Self-service account operations for a signed-in user. */
export interface AccountService {
  /** Checks the current password, sets the new one and revokes every other session. */
  changePassword(current: Current, input: { currentPassword: string; newPassword: string }, client?: ClientInfo): Promise<void>;
  /** Checks the password and deletes the user with all sessions; old tokens stop working. */
  deleteUser(current: Current, input: { password: string }, client?: ClientInfo): Promise<void>;
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
}

export function createAccountService({ config, store, throttle, revoked }: Deps): AccountService {
  const { db } = config;

  /**
   * Re-authentication for sensitive changes, throttled like sign-in so a stolen access token
   * cannot brute-force the password; failures elsewhere never refuse the owner's known address.
   */
  async function confirmPassword(current: Current, password: string, client: ClientInfo): Promise<void> {
    // Cleaned: the address is looked up among the user's sessions, and PostgreSQL refuses a NUL.
    const { ipAddress } = cleanClientInfo(client);
    const attempt = await throttle.begin({ email: current.user.email, ipAddress, userId: current.user.id });
    let valid: boolean;
    try {
      const [row] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, current.user.id));
      valid = row !== undefined && (await verifyPassword(row.hash, password));
    } catch (error) {
      await attempt.abandon();
      throw error;
    }
    if (!valid) {
      await attempt.failed();
      throw new AuthError("INVALID_CREDENTIALS", "The password is incorrect.", {
        fieldErrors: { password: ["The password is incorrect"] },
      });
    }
    await attempt.succeeded();
  }

  return {
    async changePassword(current, { currentPassword, newPassword }, client = {}) {
      assertPasswordPolicy(newPassword, "newPassword");
      assertUUID(current.user.id, "user.id");
      assertUUID(current.session.id, "session.id");
      try {
        await confirmPassword(current, currentPassword, client);
        const passwordHash = await hashPassword(newPassword, config.passwordParams);
        const now = config.now();
        await db.transaction(async (tx) => {
          await tx.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, current.user.id));
          await store.revokeAllForUser(tx, current.user.id, { reason: "password_changed", except: current.session.id });
        });
        revoked.user(current.user.id);
      } catch (error) {
        rethrowDatabaseError(error);
      }
    },

    async deleteUser(current, { password }, client = {}) {
      assertUUID(current.user.id, "user.id");
      try {
        await confirmPassword(current, password, client);
        // Sessions and refresh tokens go with the user (ON DELETE CASCADE).
        await db.delete(users).where(eq(users.id, current.user.id));
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
