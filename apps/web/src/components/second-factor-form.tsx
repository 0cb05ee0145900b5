"use client";

import type { SecondFactorAnswer } from "@bearer-kit/react";
import type { AuthErrorInfo, PasskeyRequestOptions, SecondFactorMethod } from "@bearer-kit/react/client";
import { type FormEvent, type ReactNode, useState } from "react";
import { formText } from "../lib/form-text.ts";
import { friendlyMessage } from "../lib/friendly-message.ts";
import { CredentialForm } from "./credential-form.tsx";
import { Field } from "./field.tsx";
import { FormAlert } from "./form-alert.tsx";
import { PasskeyAnswer } from "./passkey-answer.tsx";
import { SubmitButton } from "./submit-button.tsx";

interface SecondFactorFormProps {
  /** The page's own path: the form posts there, never to a URL with the code, before hydration. */
  action: string;
  /** What the account can answer with, from the challenge. */
  methods: SecondFactorMethod[];
  pending: boolean;
  error: AuthErrorInfo | null;
  /** Shown above the form, e.g. "Your password was changed." */
  notice?: string | null;
  /** The challenge only this account's passkeys answer (`auth.passkeySigninOptions({ mfaToken })`). */
  passkeyOptions(): Promise<PasskeyRequestOptions>;
  onAnswer(answer: SecondFactorAnswer): void;
}

/** SECOND_FACTOR_INVALID, said for the kind of answer that was refused. */
const REFUSED_PASSKEY = { SECOND_FACTOR_INVALID: "That passkey is not one of this account's. Try another one, or use a code." };

/**
 * The second step of a sign-in or a reset: the 6-digit code from the authenticator app, or,
 * after "Use a recovery code instead", one of the recovery codes; "Use a passkey" beside them
 * when the account has one. An account with passkeys and no authenticator app is asked for a
 * passkey first, with its recovery codes as the fallback.
 *
 * @example <SecondFactorForm action="/signin" methods={flow.methods} pending={false} error={null} passkeyOptions={flow.passkeyOptions} onAnswer={flow.verify} />
 */
export function SecondFactorForm(props: SecondFactorFormProps): ReactNode {
  const { action, methods, pending, error, notice = null, passkeyOptions, onAnswer } = props;
  const totp = methods.includes("totp");
  const passkeyFirst = !totp && methods.includes("passkey");
  // Without an authenticator app, the code field takes recovery codes only.
  const [recovery, setRecovery] = useState(!totp && !passkeyFirst);
  const [lastAnswer, setLastAnswer] = useState<"code" | "passkey">("code");
  const message = error ? friendlyMessage(error, lastAnswer === "passkey" ? REFUSED_PASSKEY : {}) : null;
  const alert = message ? <FormAlert message={message} /> : <FormAlert tone="success" message={notice} />;

  const answer = (next: SecondFactorAnswer) => {
    setLastAnswer("passkey" in next ? "passkey" : "code");
    onAnswer(next);
  };
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (pending) return;
    const value = formText(new FormData(event.currentTarget), "code").trim();
    answer(recovery ? { recoveryCode: value } : { code: value.replace(/\s+/g, "") });
  };
  const passkey = (primary: boolean) => (
    <PasskeyAnswer options={passkeyOptions} pending={pending} primary={primary} onResponse={(response) => answer({ passkey: response })} />
  );
  const toggle = (label: string, onClick: () => void) => (
    <p className="form-aside">
      <button type="button" className="button button-ghost button-small" onClick={onClick}>
        {label}
      </button>
    </p>
  );

  // An account with passkeys and no authenticator app: the passkey is the way, a recovery code the fallback.
  if (passkeyFirst && !recovery) {
    return (
      <div className="form">
        {alert}
        <p className="muted">Confirm it is you with one of your passkeys.</p>
        {passkey(true)}
        {methods.includes("recovery_code") ? toggle("Use a recovery code instead", () => setRecovery(true)) : null}
      </div>
    );
  }
  return (
    <CredentialForm action={action} className="form" onSubmit={onSubmit}>
      {alert}
      {recovery ? (
        <Field
          key="recovery"
          form="second-factor"
          name="code"
          label="Recovery code"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          required
          autoFocus
          hint={`One of the recovery codes you saved when you ${totp ? "turned on two-step verification" : "added your first passkey"}. Each works once.`}
          errors={error?.fieldErrors.code ?? error?.fieldErrors.recoveryCode}
        />
      ) : (
        <Field
          key="totp"
          form="second-factor"
          name="code"
          label="Authentication code"
          autoComplete="one-time-code"
          inputMode="numeric"
          pattern="[0-9 ]*"
          maxLength={7}
          required
          autoFocus
          hint="Enter the 6-digit code from your authenticator app."
          errors={error?.fieldErrors.code}
        />
      )}
      {totp ? toggle(recovery ? "Use your authenticator app instead" : "Use a recovery code instead", () => setRecovery(!recovery)) : null}
      {passkeyFirst ? toggle("Use a passkey instead", () => setRecovery(false)) : null}
      <SubmitButton pending={pending}>Verify</SubmitButton>
      {totp && methods.includes("passkey") ? passkey(false) : null}
    </CredentialForm>
  );
}
