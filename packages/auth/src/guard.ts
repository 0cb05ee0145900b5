import { AuthError } from "./errors.ts";
import type { Session, User } from "./types.ts";

/**
 * Who is signed in for one request. Create one per request with `auth.guard()`.
 *
 * @example
 * const guard = auth.guard();
 * await guard.loginUsingBearerToken(bearerToken(request));
 * guard.check(); // true
 * guard.user?.email;
 */
export interface AuthGuard {
  readonly user: User | null;
  readonly session: Session | null;
  /** True once a bearer token authenticated this request. */
  readonly viaBearerToken: boolean;
  /** True when a user is signed in. */
  check(): boolean;
  /** Verifies the token and records its user and session. Throws `AuthError` with the reason. */
  loginUsingBearerToken(token: string | null | undefined): Promise<User>;
  /** A fresh access token for the signed-in user's current session. */
  getBearerToken(): Promise<string>;
}

interface GuardDeps {
  verifyBearerToken(token: string): Promise<{ user: User; session: Session }>;
  getBearerToken(user: User, sessionId: string): Promise<string>;
}

export function createGuard(deps: GuardDeps): AuthGuard {
  let current: { user: User; session: Session } | null = null;
  return {
    get user() {
      return current?.user ?? null;
    },
    get session() {
      return current?.session ?? null;
    },
    get viaBearerToken() {
      return current !== null;
    },
    check: () => current !== null,
    async loginUsingBearerToken(token) {
      current = null;
      if (!token) throw new AuthError("TOKEN_INVALID", "A bearer token is required.");
      current = await deps.verifyBearerToken(token);
      return current.user;
    },
    async getBearerToken() {
      if (!current) throw new AuthError("TOKEN_INVALID", "No user is signed in.");
      return deps.getBearerToken(current.user, current.session.id);
    },
  };
}
