"use client";

import type { PasskeyAuthenticationResponse, PasskeyRequestOptions } from "@bearer-kit/react/client";
import { startAuthentication } from "@simplewebauthn/browser";
import type { ReactNode } from "react";
import { usePasskeyCeremony } from "../lib/passkeys/use-passkey-ceremony.ts";
import { usePasskeySupport } from "../lib/passkeys/use-passkey-support.ts";
import { FormAlert } from "./form-alert.tsx";

interface PasskeyAnswerProps {
  /** The challenge to answer, fetched when the button is pressed: it is single-use. */
  options(): Promise<PasskeyRequestOptions>;
  /** Another answer is being checked: the button waits. */
  pending: boolean;
  /** The step's main action (no code field beside it), or a secondary one. */
  primary: boolean;
  onResponse(response: PasskeyAuthenticationResponse): void;
}

/**
 * "Use a passkey": fetches a challenge, runs the browser's prompt, and hands the answer over;
 * a cancelled or failed prompt is said below the button. Hidden where the browser has no
 * WebAuthn.
 *
 * @example <PasskeyAnswer options={flow.passkeyOptions} pending={false} primary onResponse={(passkey) => flow.verify({ passkey })} />
 */
export function PasskeyAnswer({ options, pending, primary, onResponse }: PasskeyAnswerProps): ReactNode {
  const supported = usePasskeySupport();
  const ceremony = usePasskeyCeremony();
  if (!supported) return primary ? <FormAlert message="This browser does not support passkeys. Use another one to sign in." /> : null;

  const use = () => {
    void ceremony.run(async () => startAuthentication({ optionsJSON: await options() })).then((response) => {
      if (response) onResponse(response);
    });
  };
  const busy = pending || ceremony.running;
  return (
    <>
      <FormAlert message={ceremony.failure} />
      <button
        type="button"
        className={`button ${primary ? "button-primary" : "button-secondary"} button-block`}
        disabled={busy}
        aria-busy={ceremony.running}
        onClick={use}
      >
        {ceremony.running ? <span className="spinner" aria-hidden="true" /> : null}
        Use a passkey
      </button>
    </>
  );
}
