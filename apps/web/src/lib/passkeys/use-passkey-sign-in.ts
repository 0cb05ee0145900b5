"use client";

import { useSessionClient, type UseSignIn } from "@bearer-kit/react";
import { startAuthentication } from "@simplewebauthn/browser";
import { usePasskeyAutofill } from "./use-passkey-autofill.ts";
import { usePasskeyCeremony } from "./use-passkey-ceremony.ts";
import { usePasskeySupport } from "./use-passkey-support.ts";

/** The first step's passkey sign-in: the button's state and action. */
export interface PasskeySignIn {
  /** False where the browser has no WebAuthn (and before hydration): no button then. */
  supported: boolean;
  running: boolean;
  /** Why the last button ceremony failed (cancelled, timed out, ...), in words. */
  failure: string | null;
  /** "Sign in with a passkey": the browser's own prompt, for any passkey of this site. */
  start(): void;
  clear(): void;
}

/**
 * Passkeys on the sign-in form, both ways: offered in the email field's autofill while the form
 * waits (`formShown`), and through the "Sign in with a passkey" button, whose prompt replaces the
 * autofill request. Either hands the answer to `flow.signInWithPasskey`, which opens the session
 * with no second step.
 *
 * @example const passkey = usePasskeySignIn(flow, { formShown: !busy }); <button onClick={passkey.start}>Sign in with a passkey</button>
 */
export function usePasskeySignIn(flow: UseSignIn, { formShown }: { formShown: boolean }): PasskeySignIn {
  const session = useSessionClient();
  const supported = usePasskeySupport();
  const ceremony = usePasskeyCeremony();
  const { signInWithPasskey } = flow;

  usePasskeyAutofill({
    enabled: supported && formShown && !ceremony.running,
    options: () => session.passkeySigninOptions(),
    onResponse: (response) => {
      ceremony.clear();
      signInWithPasskey(response);
    },
  });

  const start = () => {
    // A refusal shown from an earlier try would otherwise stay above the new prompt.
    if (flow.status === "error") flow.reset();
    void ceremony.run(async () => startAuthentication({ optionsJSON: await session.passkeySigninOptions() })).then((response) => {
      if (response) signInWithPasskey(response);
    });
  };
  return { supported, running: ceremony.running, failure: ceremony.failure, start, clear: ceremony.clear };
}
