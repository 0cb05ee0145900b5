import { AuthError } from "../errors.ts";
import type { Session, TokenRequest, User } from "../types.ts";

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
  /**
   * Verifies the token and records its user and session. Throws `AuthError` with the reason.
   * A DPoP-bound token needs `request` (`{ scheme: "DPoP", dpop: { proof, htm, htu } }`).
   */
  loginUsingBearerToken(token: string | null | undefined, request?: TokenRequest): Promise<User>;
  /** A fresh access token for the signed-in user's current session. */
  getBearerToken(): Promise<string>;
}

interface GuardDeps {
  verifyBearerToken(token: string, request?: TokenRequest): Promise<{ user: User; session: Session }>;
  getBearerToken(user: User, sessionId: string): Promise<string>;
}

export function createGuard(deps: GuardDeps): AuthGuard {
  let current: { user: User; session: Session } | null = null;
  // Calls sharing one guard (a tRPC batch runs its calls concurrently on one context) and one
  // token share one verification, and none resets the guard under another.
  let inFlight: { token: string; verified: Promise<{ user: User; session: Session }> } | null = null;

  function verify(token: string, request: TokenRequest | undefined): Promise<{ user: User; session: Session }> {
    // One request, one proof: a batch's calls share its verification, and so spend its `jti` once.
    if (inFlight?.token === token) return inFlight.verified;
    const verified = deps.verifyBearerToken(token, request).then(
      (result) => (current = result),
      (error: unknown) => {
        current = null;
        throw error;
      },
    );
    const entry = { token, verified };
    inFlight = entry;
    // Forgotten once settled: a later call verifies afresh and sees a logout or revocation.
    const forget = (): void => {
      if (inFlight === entry) inFlight = null;
    };
    verified.then(forget, forget);
    return verified;
  }

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
    async loginUsingBearerToken(token, request) {
      if (!token) {
        current = null;
        throw new AuthError("TOKEN_INVALID", "A bearer token is required.");
      }
      return (await verify(token, request)).user;
    },
    async getBearerToken() {
      if (!current) throw new AuthError("TOKEN_INVALID", "No user is signed in.");
      return deps.getBearerToken(current.user, current.session.id);
    },
  };
}
