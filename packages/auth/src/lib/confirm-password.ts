import { eq } from "drizzle-orm";
import { AuthError } from "../errors.ts";
import type { AuthConfig } from "../options.ts";
import { users } from "../schema.ts";
import type { SigninThrottle } from "../throttle.ts";
import type { ClientInfo } from "../types.ts";
import { cleanClientInfo } from "./client-info.ts";
import type { PasswordGates } from "./password-gates.ts";

/** Who asks for a sensitive change: the signed-in user and session. */
export type Current = { user: { id: string; email: string }; session: { id: string } };

/**
 * Re-authentication for sensitive changes, throttled like sign-in so a stolen access token
 * cannot brute-force the password; failures elsewhere never refuse the owner's known address.
 * Throws `INVALID_CREDENTIALS` (with `fieldErrors.password`), `RATE_LIMITED` or `SERVER_BUSY`.
 */
export function createPasswordConfirmation({ config, throttle, passwords }: { config: AuthConfig; throttle: SigninThrottle; passwords: PasswordGates }) {
  return async function confirmPassword(current: Current, password: string, client: ClientInfo): Promise<void> {
    // Cleaned: the address is looked up among the user's sessions, and PostgreSQL refuses a NUL.
    const { ipAddress } = cleanClientInfo(client);
    // The whole check holds a gate slot, as in sign-in: waiting checks wait in memory, not in the database.
    const { attempt, valid } = await passwords.checks.run(async () => {
      const attempt = await throttle.begin({ email: current.user.email, ipAddress, userId: current.user.id });
      try {
        const [row] = await config.db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, current.user.id));
        return { attempt, valid: row !== undefined && (await passwords.verify(row.hash, password)) };
      } catch (error) {
        await attempt.abandon();
        throw error;
      }
    });
    if (!valid) {
      await attempt.failed();
      throw new AuthError("INVALID_CREDENTIALS", "The password is incorrect.", {
        fieldErrors: { password: ["The password is incorrect"] },
      });
    }
    await attempt.succeeded();
  };
}
