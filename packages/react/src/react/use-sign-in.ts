import { useCallback, useState } from "react";
import { type AuthErrorInfo, readAuthError } from "../errors/read-auth-error.ts";
import type { SignInOutcome } from "../sign-in/sign-in.ts";
import type {
  PasskeyAuthenticationResponse,
  PasskeyRequestOptions,
  SecondFactorMethod,
  SessionUser,
  SignInInput,
} from "../transport/router-types.ts";
import { useSessionClient } from "./use-session-client.ts";

/**
 * Where a sign-in stands. A union on `status`, so a later step arrives as a new status that a
 * `switch` with a default case already handles.
 */
export type SignInState =
  | { status: "idle" }
  | { status: "pending" }
  /** Refused or failed: `error.code` is the API's (`INVALID_CREDENTIALS`, `RATE_LIMITED`, `MFA_TOKEN_INVALID`, ...). */
  | { status: "error"; error: AuthErrorInfo }
  /**
   * The password was right and the account asks for a second factor: answer with `verify`.
   * `pending` while a code is checked; `error` holds the last refusal (`SECOND_FACTOR_INVALID`),
   * after which another code may be tried.
   */
  | { status: "second-factor"; methods: SecondFactorMethod[]; pending: boolean; error: AuthErrorInfo | null }
  | { status: "signed-in"; user: SessionUser };

/**
 * The answer to the second step: a code from the authenticator app, a recovery code, or a
 * passkey's answer to the challenge of `passkeyOptions()`.
 */
export type SecondFactorAnswer = { code: string } | { recoveryCode: string } | { passkey: PasskeyAuthenticationResponse };

/** The state, with the actions that move it. */
export type UseSignIn = SignInState & {
  /** Starts a sign-in; ignored while one is pending. */
  signIn(input: SignInInput): void;
  /**
   * Signs in with a passkey's answer to a challenge of `passkeyOptions()` taken outside the
   * second step; never asks for a second step. Ignored while a sign-in is pending.
   */
  signInWithPasskey(response: PasskeyAuthenticationResponse): void;
  /**
   * The challenge for `startAuthentication` (@simplewebauthn/browser) where the flow stands: on
   * the `second-factor` step, one only that account's passkeys answer (then `verify({ passkey })`);
   * otherwise one any passkey of the site answers (then `signInWithPasskey`). Rejects with the
   * tRPC error (`MFA_TOKEN_INVALID`: the step is over, start again).
   */
  passkeyOptions(): Promise<PasskeyRequestOptions>;
  /** Answers the `second-factor` step; ignored in any other state and while a code is checked. */
  verify(answer: SecondFactorAnswer): void;
  /** Back to `idle`, e.g. when the form is edited after an error, or to start over. */
  reset(): void;
};

const IDLE: SignInState = { status: "idle" };

// The challenge is dead: only a new sign-in with the password helps, so the flow leaves the step.
const CHALLENGE_ENDED = new Set(["MFA_TOKEN_INVALID"]);

/**
 * The sign-in flow of a form, second step included. On success the session is this tab's and
 * every other tab's. The `mfaToken` stays inside the hook: the form never handles it.
 *
 * @example
 * const flow = useSignIn();
 * if (flow.status === "second-factor") return <form onSubmit={() => flow.verify({ code })}>…</form>;
 * return <form onSubmit={() => flow.signIn({ email, password })}>{flow.status === "error" ? flow.error.code : null}</form>;
 */
export function useSignIn(): UseSignIn {
  const client = useSessionClient();
  const [state, setState] = useState<SignInState>(IDLE);
  const [mfaToken, setMfaToken] = useState<string | null>(null);
  const pending = state.status === "pending" || (state.status === "second-factor" && state.pending);

  // A password or a passkey: either opens the session, or (a password only) the second step.
  const start = useCallback(
    (run: () => Promise<SignInOutcome | null>) => {
      if (pending) return;
      setMfaToken(null);
      setState({ status: "pending" });
      run().then(
        (outcome) => {
          if (outcome?.status === "second-factor") {
            setMfaToken(outcome.mfaToken);
            setState({ status: "second-factor", methods: outcome.methods, pending: false, error: null });
          } else {
            setState(outcome ? { status: "signed-in", user: outcome.user } : IDLE);
          }
        },
        (error: unknown) => setState({ status: "error", error: readAuthError(error) }),
      );
    },
    [pending],
  );
  const signIn = useCallback((input: SignInInput) => start(() => client.signIn(input)), [client, start]);
  const signInWithPasskey = useCallback(
    (response: PasskeyAuthenticationResponse) => start(() => client.signInWithPasskey(response)),
    [client, start],
  );
  const secondStepToken = state.status === "second-factor" ? mfaToken : null;
  const passkeyOptions = useCallback(
    () => client.passkeySigninOptions(secondStepToken === null ? {} : { mfaToken: secondStepToken }),
    [client, secondStepToken],
  );

  const verify = useCallback(
    (answer: SecondFactorAnswer) => {
      if (state.status !== "second-factor" || state.pending || mfaToken === null) return;
      const step = state;
      setState({ ...step, pending: true, error: null });
      client.verifySecondFactor({ mfaToken, ...answer }).then(
        (user) => {
          setMfaToken(null);
          setState(user ? { status: "signed-in", user } : IDLE);
        },
        (failure: unknown) => {
          const error = readAuthError(failure);
          if (error.code !== null && CHALLENGE_ENDED.has(error.code)) {
            setMfaToken(null);
            setState({ status: "error", error });
          } else {
            setState({ ...step, pending: false, error });
          }
        },
      );
    },
    [client, state, mfaToken],
  );

  const reset = useCallback(() => {
    setMfaToken(null);
    setState(IDLE);
  }, []);
  return { ...state, signIn, signInWithPasskey, passkeyOptions, verify, reset };
}
