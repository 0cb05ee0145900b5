import type { AppRouter } from "@bearer-kit/api";
import type { TRPCClient } from "@trpc/client";
import type { SessionTransitions } from "../session/session-transitions.ts";
import type { SecondFactorChallenge, SessionUser, SignInInput } from "../transport/router-types.ts";

/**
 * Where a password took the sign-in: a session (`signed-in`), or, for an account with two-step
 * verification on, a `second-factor` challenge to answer with `verifySecondFactor`. No token is
 * held until then.
 */
export type SignInOutcome = { status: "signed-in"; user: SessionUser } | ({ status: "second-factor" } & SecondFactorChallenge);

/**
 * Signs in with `{ email, password }`; resolves with the outcome, or `null` in the one case where
 * a sign-out of this browser was recorded in the same millisecond and won.
 *
 * @example
 * const outcome = await signIn({ email, password });
 * if (outcome?.status === "second-factor") await verifySecondFactor({ mfaToken: outcome.mfaToken, code });
 */
export type SignIn = (input: SignInInput) => Promise<SignInOutcome | null>;

/**
 * `auth.signin` through `client`, whose tokens this tab then holds and shares with the others.
 * Failures (`INVALID_CREDENTIALS`, `RATE_LIMITED`, ...) reject with the tRPC error: read it with
 * `readAuthError`.
 *
 * @example const signIn = createSignIn({ client, transitions });
 */
export function createSignIn(parts: { client: TRPCClient<AppRouter>; transitions: SessionTransitions }): SignIn {
  const { client, transitions } = parts;
  return async (input) => {
    const payload = await client.auth.signin.mutate(input);
    // The answer carries no token and set no cookie: nothing to hold until the second step.
    if (payload.mfaRequired) return { status: "second-factor", mfaToken: payload.mfaToken, methods: payload.methods };
    // Stamped on arrival, unlike a refresh: the server made this session after any sign-out that
    // raced it, and its answer set the cookie, so the user's explicit sign-in wins.
    return transitions.startSession(payload, { startedAt: Date.now() }) ? { status: "signed-in", user: payload.user } : null;
  };
}
