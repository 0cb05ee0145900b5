import { useCallback, useState } from "react";
import { type AuthErrorInfo, readAuthError } from "../errors/read-auth-error.ts";
import type { SessionUser, SignInInput } from "../transport/router-types.ts";
import { useSessionClient } from "./use-session-client.ts";

/**
 * Where a sign-in stands. A union on `status`, so a later step (a second factor) arrives as a
 * new status that a `switch` with a default case already handles.
 */
export type SignInState =
  | { status: "idle" }
  | { status: "pending" }
  /** Refused or failed: `error.code` is the API's (`INVALID_CREDENTIALS`, `RATE_LIMITED`, ...). */
  | { status: "error"; error: AuthErrorInfo }
  | { status: "signed-in"; user: SessionUser };

/** The state, with the actions that move it. */
export type UseSignIn = SignInState & {
  /** Starts a sign-in; ignored while one is pending. */
  signIn(input: SignInInput): void;
  /** Back to `idle`, e.g. when the form is edited after an error. */
  reset(): void;
};

const IDLE: SignInState = { status: "idle" };

/**
 * The sign-in flow of a form. On success the session is this tab's and every other tab's.
 *
 * @example
 * const flow = useSignIn();
 * <form onSubmit={() => flow.signIn({ email, password })}>{flow.status === "error" ? flow.error.code : null}</form>
 */
export function useSignIn(): UseSignIn {
  const client = useSessionClient();
  const [state, setState] = useState<SignInState>(IDLE);
  const pending = state.status === "pending";
  const signIn = useCallback(
    (input: SignInInput) => {
      if (pending) return;
      setState({ status: "pending" });
      client.signIn(input).then(
        (user) => setState(user ? { status: "signed-in", user } : IDLE),
        (error: unknown) => setState({ status: "error", error: readAuthError(error) }),
      );
    },
    [client, pending],
  );
  const reset = useCallback(() => setState(IDLE), []);
  return { ...state, signIn, reset };
}
