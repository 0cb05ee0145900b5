import { eq } from "drizzle-orm";
import type { AuthDB } from "../database/auth-db.ts";
import { AuthError } from "../errors.ts";
import type { AuthConfig } from "../config/options.ts";
import { users } from "../database/schema.ts";
import type { SigninThrottle } from "../throttling/throttle.ts";
import type { ClientInfo } from "../types.ts";
import { cleanClientInfo } from "../throttling/client-info.ts";
import { lockCredentialVersion } from "../database/credential-version.ts";
import type { PasswordGates } from "./password-gates.ts";

/** Who asks for a sensitive change: the signed-in user and session. */
export type Current = { user: { id: string; email: string }; session: { id: string } };

/** What a confirmed password proved: the account's credential version it was checked under. */
export interface Confirmed {
  credentialVersion: number;
}

export const incorrectPassword = (): AuthError =>
  new AuthError("INVALID_CREDENTIALS", "The password is incorrect.", { fieldErrors: { password: ["The password is incorrect"] } });

/**
 * Re-authentication for sensitive changes, throttled like sign-in so a stolen access token
 * cannot brute-force the password; failures elsewhere never refuse the owner's known address.
 * Throws `INVALID_CREDENTIALS` (with `fieldErrors.password`), `RATE_LIMITED` or `SERVER_BUSY`.
 *
 * The change that follows must hold the user row lock and check that the credential version is
 * still `credentialVersion` (see `assertUnchanged`): a password changed meanwhile was not the one typed.
 */
export function createPasswordConfirmation({ config, throttle, passwords }: { config: AuthConfig; throttle: SigninThrottle; passwords: PasswordGates }) {
  return async function confirmPassword(current: Current, password: string, client: ClientInfo): Promise<Confirmed> {
    // Cleaned: the address is looked up among the user's sessions, and PostgreSQL refuses a NUL.
    const { ipAddress } = cleanClientInfo(client);
    // The whole check holds a gate slot, as in sign-in: waiting checks wait in memory, not in the database.
    const { attempt, valid, credentialVersion } = await passwords.checks.run(async () => {
      const attempt = await throttle.begin({ email: current.user.email, ipAddress, userId: current.user.id });
      try {
        const [row] = await config.db
          .select({ hash: users.passwordHash, credentialVersion: users.credentialVersion })
          .from(users)
          .where(eq(users.id, current.user.id));
        return { attempt, valid: row !== undefined && (await passwords.verify(row.hash, password)), credentialVersion: row?.credentialVersion ?? 0 };
      } catch (error) {
        await attempt.abandon();
        throw error;
      }
    });
    if (!valid) {
      await attempt.failed();
      throw incorrectPassword();
    }
    await attempt.succeeded();
    return { credentialVersion };
  };
}

/**
 * Locks the user row and throws `INVALID_CREDENTIALS` unless the credential version is still
 * the one the password was confirmed under: call first in the transaction that makes the change.
 */
export async function assertUnchanged(tx: AuthDB, userId: string, confirmed: Confirmed): Promise<void> {
  if ((await lockCredentialVersion(tx, userId)) !== confirmed.credentialVersion) throw incorrectPassword();
}
