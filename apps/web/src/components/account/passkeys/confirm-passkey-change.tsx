"use client";

import { type FormEvent, type ReactNode, useRef } from "react";
import { formText } from "../../../lib/form-text.ts";
import { CredentialForm } from "../../credential-form.tsx";
import { Field } from "../../field.tsx";
import { FormAlert } from "../../form-alert.tsx";
import { SubmitButton } from "../../submit-button.tsx";
import { CodeField } from "../two-factor/code-field.tsx";

/** Beyond the password: which fresh second step the account can give, if one is needed. */
export interface SecondStepChoice {
  /** TOTP is on: the code field takes an app code or a recovery code; otherwise a recovery code. */
  totp: boolean;
  /** Another passkey of the account may vouch ("Use a passkey"). */
  passkey: boolean;
}

/** The confirmation the form collected: a code, or a request to prove it with a passkey. */
export interface ConfirmInput {
  password: string;
  code: string | null;
  usePasskey: boolean;
}

interface ConfirmPasskeyChangeProps {
  /** Prefix for the field ids: two of these forms may share the card. */
  form: string;
  email: string;
  /** `null` when the password alone confirms (no TOTP, no other passkey). */
  secondStep: SecondStepChoice | null;
  submitLabel: string;
  running: boolean;
  failure: string | null;
  /** Fields shown above the password, e.g. the new passkey's name. */
  children?: ReactNode;
  onConfirm(input: ConfirmInput, data: FormData): void;
  onCancel(): void;
}

/**
 * Confirms a change to the account's passkeys: the password, and, while the account has TOTP or
 * another passkey, a code or "Use a passkey", so a stolen password alone cannot add a way in
 * or take one away.
 *
 * @example <ConfirmPasskeyChange form="passkey-add" email={email} secondStep={{ totp: true, passkey: false }} submitLabel="Add passkey" running={false} failure={null} onConfirm={add} onCancel={close} />
 */
export function ConfirmPasskeyChange(props: ConfirmPasskeyChangeProps): ReactNode {
  const { form, email, secondStep, submitLabel, running, failure, children, onConfirm, onCancel } = props;
  const formRef = useRef<HTMLFormElement>(null);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (running) return;
    const data = new FormData(event.currentTarget);
    onConfirm({ password: formText(data, "password"), code: secondStep ? formText(data, "code").trim() : null, usePasskey: false }, data);
  };
  const usePasskey = () => {
    const element = formRef.current;
    const password = element?.elements.namedItem("password");
    // The code field is not needed this way, so only the password is checked before the prompt.
    if (running || !element || !(password instanceof HTMLInputElement) || !password.reportValidity()) return;
    onConfirm({ password: password.value, code: null, usePasskey: true }, new FormData(element));
  };

  return (
    <CredentialForm ref={formRef} action="/account" className="form" onSubmit={onSubmit}>
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      <FormAlert message={failure} />
      {children}
      <Field form={form} name="password" label="Current password" type="password" autoComplete="current-password" required />
      {secondStep?.totp ? <CodeField form={form} errors={undefined} /> : null}
      {secondStep && !secondStep.totp ? (
        <Field
          form={form}
          name="code"
          label="Recovery code"
          autoComplete="off"
          spellCheck={false}
          required
          hint={secondStep.passkey ? "One of your recovery codes, or use a passkey instead." : "One of your recovery codes."}
        />
      ) : null}
      <div className="actions">
        <SubmitButton pending={running}>{submitLabel}</SubmitButton>
        {secondStep?.passkey ? (
          <button type="button" className="button button-secondary" disabled={running} onClick={usePasskey}>
            Use a passkey
          </button>
        ) : null}
        <button type="button" className="button button-ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </CredentialForm>
  );
}
