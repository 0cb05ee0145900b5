import type { AppRouter } from "@bearer-kit/api";
import type { TRPCClient } from "@trpc/client";
import { SessionError } from "../errors/session-error.ts";
import type { SessionTransitions } from "../session/session-transitions.ts";
import type { SessionUser, SignInInput } from "../transport/router-types.ts";

/**
 * Signs in with `{ email, password }`; resolves with the user, or `null` in the one case where
 * a sign-out of this browser was recorded in the same millisecond and won.
 *
 * @example const user = await signIn({ email, password });
 */
export type SignIn = (input: SignInInput) => Promise<SessionUser | null>;

/**
 * `auth.signin` through `client`, whose tokens this tab then holds and shares with the others.
 * Failures (`INVALID_CREDENTIALS`, `RATE_LIMITED`, ...) reject with the tRPC error: read it with
 * `readAuthError`. An account with two-step verification rejects with `SessionError`
 * `SECOND_STEP_REQUIRED`: this client does not run `auth.verifySecondFactor`, so it holds no token.
 *
 * @example const signIn = createSignIn({ client, transitions });
 */
export function createSignIn(parts: { client: TRPCClient<AppRouter>; transitions: SessionTransitions }): SignIn {
  const { client, transitions } = parts;
  return async (input) => {
    const payload = await client.auth.signin.mutate(input);
    if (payload.mfaRequired) {
      throw new SessionError("SECOND_STEP_REQUIRED", "This account uses two-step verification: answer auth.verifySecondFactor with the mfaToken.");
    }
    // Stamped on arrival, unlike a refresh: the server made this session after any sign-out that
    // raced it, and its answer set the cookie, so the user's explicit sign-in wins.
    return transitions.startSession(payload, { startedAt: Date.now() }) ? payload.user : null;
  };
}
