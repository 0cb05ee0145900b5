"use client";

import type { SecondFactorAnswer } from "@bearer-kit/react";
import type { AuthErrorInfo } from "@bearer-kit/react/client";
import { type FormEvent, type ReactNode, useState } from "react";
import { formText } from "../lib/form-text.ts";
import { friendlyMessage } from "../lib/friendly-message.ts";
import { CredentialForm } from "./credential-form.tsx";
import { Field } from "./field.tsx";
import { FormAlert } from "./form-alert.tsx";
import { SubmitButton } from "./submit-button.tsx";

interface SecondFactorFormProps {
  /** The page's own path: the form posts there, never to a URL with the code, before hydration. */
  action: string;
  pending: boolean;
  error: AuthErrorInfo | null;
  /** Shown above the form, e.g. "Your password was changed." */
  notice?: string | null;
  onAnswer(answer: SecondFactorAnswer): void;
}

/**
 * The second step of a sign-in or a reset: the 6-digit code from the authenticator app, or,
 * after "Use a recovery code instead", one of the recovery codes.
 *
 * @example <SecondFactorForm action="/signin" pending={false} error={null} onAnswer={(answer) => flow.verify(answer)} />
 */
export function SecondFactorForm({ action, pending, error, notice = null, onAnswer }: SecondFactorFormProps): ReactNode {
  const [recovery, setRecovery] = useState(false);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (pending) return;
    const value = formText(new FormData(event.currentTarget), "code").trim();
    onAnswer(recovery ? { recoveryCode: value } : { code: value.replace(/\s+/g, "") });
  };

  return (
    <CredentialForm action={action} className="form" onSubmit={onSubmit}>
      {error ? <FormAlert message={friendlyMessage(error)} /> : <FormAlert tone="success" message={notice} />}
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
          hint="One of the recovery codes you saved when you turned on two-step verification. Each works once."
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
      <p className="form-aside">
        <button type="button" className="button button-ghost button-small" onClick={() => setRecovery(!recovery)}>
          {recovery ? "Use your authenticator app instead" : "Use a recovery code instead"}
        </button>
      </p>
      <SubmitButton pending={pending}>Verify</SubmitButton>
    </CredentialForm>
  );
}
