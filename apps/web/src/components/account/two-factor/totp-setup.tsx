"use client";

import { readAuthError } from "@bearer-kit/react/client";
import type { FormEvent, ReactNode } from "react";
import { formText } from "../../../lib/form-text.ts";
import { friendlyMessage } from "../../../lib/friendly-message.ts";
import { trpc } from "../../../lib/trpc/trpc.ts";
import { CredentialForm } from "../../credential-form.tsx";
import { Field } from "../../field.tsx";
import { FormAlert } from "../../form-alert.tsx";
import { SubmitButton } from "../../submit-button.tsx";
import { TotpQRCode } from "./qr-code.tsx";

/** The secret in groups of four, as authenticator apps show and accept it. */
function groupSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, "$1 ");
}

/**
 * Turning TOTP on: the password, then the QR code and the secret as text, then a code from the
 * app to prove it was saved. `onEnabled` gets the recovery codes, which exist only in this answer.
 *
 * @example <TotpSetup email={email} onEnabled={setCodes} onCancel={close} />
 */
export function TotpSetup({ email, onEnabled, onCancel }: { email: string; onEnabled(codes: string[]): void; onCancel(): void }): ReactNode {
  const setup = trpc.account.totpSetup.useMutation();
  const enable = trpc.account.totpEnable.useMutation({ onSuccess: ({ recoveryCodes }) => onEnabled(recoveryCodes) });
  const setupError = setup.error ? readAuthError(setup.error) : null;
  const enableError = enable.error ? readAuthError(enable.error) : null;

  const onPassword = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (setup.isPending) return;
    setup.mutate({ password: formText(new FormData(event.currentTarget), "password") });
  };
  const onConfirm = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (enable.isPending) return;
    enable.mutate({ code: formText(new FormData(event.currentTarget), "code").replace(/\s+/g, "") });
  };
  const cancel = (
    <button type="button" className="button button-ghost" onClick={onCancel}>
      Cancel
    </button>
  );

  if (!setup.data) {
    return (
      <CredentialForm action="/account" className="form" onSubmit={onPassword}>
        <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
        <FormAlert message={setupError ? friendlyMessage(setupError, { INVALID_CREDENTIALS: "Your password is incorrect." }) : null} />
        <Field
          form="totp-setup"
          name="password"
          label="Confirm with your password"
          type="password"
          autoComplete="current-password"
          required
          errors={setupError?.fieldErrors.password}
        />
        <div className="actions">
          <SubmitButton pending={setup.isPending}>Continue</SubmitButton>
          {cancel}
        </div>
      </CredentialForm>
    );
  }

  return (
    <div className="totp-setup">
      <p>Scan this QR code with an authenticator app (Google Authenticator, 1Password, Aegis…).</p>
      <TotpQRCode otpauthUrl={setup.data.otpauthUrl} />
      <p className="field-hint">
        Can&apos;t scan it? Enter this setup key instead: <code data-testid="totp-secret">{groupSecret(setup.data.secret)}</code>
      </p>
      <CredentialForm action="/account" className="form" onSubmit={onConfirm}>
        <FormAlert message={enableError ? friendlyMessage(enableError) : null} />
        <Field
          form="totp-setup"
          name="code"
          label="Code from your app"
          autoComplete="one-time-code"
          inputMode="numeric"
          pattern="[0-9 ]*"
          maxLength={7}
          required
          hint="Enter the 6-digit code your app now shows, to confirm it is set up."
          errors={enableError?.fieldErrors.code}
        />
        <div className="actions">
          <SubmitButton pending={enable.isPending}>Turn on</SubmitButton>
          {cancel}
        </div>
      </CredentialForm>
    </div>
  );
}
