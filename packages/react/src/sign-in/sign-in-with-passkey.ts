import type { AppRouter } from "@bearer-kit/api";
import type { TRPCClient } from "@trpc/client";
import type { SessionTransitions } from "../session/session-transitions.ts";
import type { PasskeyAuthenticationResponse } from "../transport/router-types.ts";
import type { SignInOutcome } from "./sign-in.ts";

/** A passkey sign-in's outcome: always a session, as a passkey is itself two factors. */
export type PasskeySignInOutcome = Extract<SignInOutcome, { status: "signed-in" }>;

/**
 * Signs in with a passkey's answer to a challenge from `passkeySigninOptions()`; resolves with
 * the signed-in outcome, or `null` when a sign-out of this browser won the race.
 *
 * @example
 * const optionsJSON = await session.passkeySigninOptions();
 * const outcome = await signInWithPasskey(await startAuthentication({ optionsJSON }));
 */
export type SignInWithPasskey = (response: PasskeyAuthenticationResponse) => Promise<PasskeySignInOutcome | null>;

/**
 * `auth.signinWithPasskey` through `client`; the session it opens (cookie included) is this
 * tab's and the others'. Rejects with the tRPC error: `PASSKEY_INVALID` for any refused answer
 * (unknown passkey, bad signature, used or expired challenge), `RATE_LIMITED`.
 *
 * @example const signInWithPasskey = createSignInWithPasskey({ client, transitions });
 */
export function createSignInWithPasskey(parts: { client: TRPCClient<AppRouter>; transitions: SessionTransitions }): SignInWithPasskey {
  const { client, transitions } = parts;
  return async (response) => {
    const payload = await client.auth.signinWithPasskey.mutate({ response });
    // Stamped on arrival, as a password sign-in is: the user's explicit sign-in wins over an older sign-out.
    return transitions.startSession(payload, { startedAt: Date.now() }) ? { status: "signed-in", user: payload.user } : null;
  };
}
