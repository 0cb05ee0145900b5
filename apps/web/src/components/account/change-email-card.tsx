"use client";

import { type FormEvent, type ReactNode, useRef } from "react";
import { readAuthError } from "@bearer-kit/react/client";
import { formText } from "../../lib/form-text.ts";
import { friendlyMessage } from "../../lib/friendly-message.ts";
import { trpc } from "../../lib/trpc/trpc.ts";
import { useTwoFactor } from "../../lib/use-two-factor.ts";
import { CredentialForm } from "../credential-form.tsx";
import { Field } from "../field.tsx";
import { FormAlert } from "../form-alert.tsx";
import { SubmitButton } from "../submit-button.tsx";
import { CodeField } from "./two-factor/code-field.tsx";

/**
 * Asks for a new email address after re-checking the password. Nothing changes yet: the server
 * mails a link to the new address, and the email changes only when that link is opened.
 * `email` fills a hidden username field, so a password manager knows which entry is meant.
 *
 * @example <ChangeEmailCard email={session.user.email} />
 */
export function ChangeEmailCard({ email }: { email: string }): ReactNode {
  const formRef = useRef<HTMLFormElement>(null);
  const change = trpc.account.changeEmail.useMutation({ onSuccess: () => formRef.current?.reset() });
  const error = change.error ? readAuthError(change.error) : null;
  const twoFactor = useTwoFactor();

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    // The API requires a code while two-step verification is on (SECOND_FACTOR_INVALID without one).
    const code = twoFactor?.totp ? { code: formText(form, "code").trim() } : {};
    change.mutate({ password: formText(form, "password"), newEmail: formText(form, "newEmail"), ...code });
  };

  const sentTo = change.isSuccess ? change.variables.newEmail : null;
  return (
    <section className="card" aria-labelledby="email-title">
      <h2 id="email-title">Change email</h2>
      <p className="muted">We send a confirmation link to the new address; your email changes when you open it.</p>
      <CredentialForm ref={formRef} action="/account" className="form" onSubmit={onSubmit}>
        <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
        <FormAlert message={error ? friendlyMessage(error, { INVALID_CREDENTIALS: "Your password is incorrect." }) : null} />
        <FormAlert tone="success" message={sentTo ? `Check ${sentTo} for a confirmation link. Until you open it, your email stays ${email}.` : null} />
        <div className="form-row">
          <Field
            form="email"
            name="password"
            label="Current password"
            type="password"
            autoComplete="current-password"
            required
            errors={error?.fieldErrors.password}
          />
          <Field form="email" name="newEmail" label="New email" type="email" autoComplete="off" required errors={error?.fieldErrors.newEmail} />
        </div>
        {twoFactor?.totp ? <CodeField form="email" errors={error?.fieldErrors.code} /> : null}
        <div className="form-actions">
          <SubmitButton pending={change.isPending}>Change email</SubmitButton>
        </div>
      </CredentialForm>
    </section>
  );
}
