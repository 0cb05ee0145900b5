"use client";

import { PASSWORD_MIN_LENGTH } from "@bearer-kit/auth/client";
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
 * Changes the password after re-checking the current one; the server ends every other session.
 * `email` fills a hidden username field, so a password manager knows which entry to update.
 *
 * @example <ChangePasswordCard email={session.user.email} />
 */
export function ChangePasswordCard({ email }: { email: string }): ReactNode {
  const formRef = useRef<HTMLFormElement>(null);
  const utils = trpc.useUtils();
  const twoFactor = useTwoFactor();
  const change = trpc.account.changePassword.useMutation({
    onSuccess: () => {
      formRef.current?.reset();
      void utils.account.sessions.invalidate();
    },
  });
  const error = change.error ? readAuthError(change.error) : null;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    // The API requires a code while two-step verification is on (SECOND_FACTOR_INVALID without one).
    const code = twoFactor?.totp ? { code: formText(form, "code").trim() } : {};
    change.mutate({ currentPassword: formText(form, "currentPassword"), newPassword: formText(form, "newPassword"), ...code });
  };

  return (
    <section className="card" aria-labelledby="password-title">
      <h2 id="password-title">Change password</h2>
      <p className="muted">You stay signed in here; every other session is signed out.</p>
      <CredentialForm ref={formRef} action="/account" className="form" onSubmit={onSubmit}>
        <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
        <FormAlert message={error ? friendlyMessage(error, { INVALID_CREDENTIALS: "Your current password is incorrect." }) : null} />
        <FormAlert tone="success" message={change.isSuccess ? "Password changed. Your other sessions were signed out." : null} />
        <div className="form-row">
          <Field
            form="password"
            name="currentPassword"
            label="Current password"
            type="password"
            autoComplete="current-password"
            required
            errors={error?.fieldErrors.currentPassword ?? error?.fieldErrors.password}
          />
          <Field
            form="password"
            name="newPassword"
            label="New password"
            type="password"
            autoComplete="new-password"
            required
            minLength={PASSWORD_MIN_LENGTH}
            errors={error?.fieldErrors.newPassword}
          />
        </div>
        {twoFactor?.totp ? <CodeField form="password" errors={error?.fieldErrors.code} /> : null}
        <div className="form-actions">
          <SubmitButton pending={change.isPending}>Change password</SubmitButton>
        </div>
      </CredentialForm>
    </section>
  );
}
