"use client";

import type { AuthErrorInfo } from "@bearer-kit/react/client";
import { type FormEvent, type ReactNode } from "react";
import { formText } from "../../../lib/form-text.ts";
import { friendlyMessage } from "../../../lib/friendly-message.ts";
import { CredentialForm } from "../../credential-form.tsx";
import { Field } from "../../field.tsx";
import { FormAlert } from "../../form-alert.tsx";
import { SubmitButton } from "../../submit-button.tsx";
import { CodeField } from "./code-field.tsx";

interface ConfirmWithCodeProps {
  /** Prefix for the field ids: two of these forms may share the card. */
  form: string;
  email: string;
  submitLabel: string;
  pending: boolean;
  error: AuthErrorInfo | null;
  onConfirm(input: { password: string; code: string }): void;
  onCancel(): void;
}

/**
 * A change to the second factor itself ("Turn off", "New recovery codes"): it takes the password
 * and a code, so a stolen password alone cannot move the second factor.
 *
 * @example <ConfirmWithCode form="totp-off" email={email} submitLabel="Turn off" pending={off.isPending} error={error} onConfirm={off.mutate} onCancel={close} />
 */
export function ConfirmWithCode({ form, email, submitLabel, pending, error, onConfirm, onCancel }: ConfirmWithCodeProps): ReactNode {
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (pending) return;
    const data = new FormData(event.currentTarget);
    onConfirm({ password: formText(data, "password"), code: formText(data, "code").trim() });
  };
  return (
    <CredentialForm action="/account" className="form" onSubmit={onSubmit}>
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      <FormAlert message={error ? friendlyMessage(error, { INVALID_CREDENTIALS: "Your password is incorrect." }) : null} />
      <div className="form-row">
        <Field
          form={form}
          name="password"
          label="Current password"
          type="password"
          autoComplete="current-password"
          required
          errors={error?.fieldErrors.password}
        />
        <CodeField form={form} errors={error?.fieldErrors.code} />
      </div>
      <div className="actions">
        <SubmitButton pending={pending}>{submitLabel}</SubmitButton>
        <button type="button" className="button button-ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </CredentialForm>
  );
}
