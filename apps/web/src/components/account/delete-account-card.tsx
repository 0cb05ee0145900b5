"use client";

import { type FormEvent, type ReactNode, useState } from "react";
import { readAuthError } from "@bearer-kit/react/client";
import { formText } from "../../lib/form-text.ts";
import { friendlyMessage } from "../../lib/friendly-message.ts";
import { sessionClient } from "../../lib/session-client.ts";
import { trpc } from "../../lib/trpc/trpc.ts";
import { useTwoFactor } from "../../lib/use-two-factor.ts";
import { CredentialForm } from "../credential-form.tsx";
import { Field } from "../field.tsx";
import { FormAlert } from "../form-alert.tsx";
import { CodeField } from "./two-factor/code-field.tsx";

/**
 * Deletes the account after a password check; two steps, so a stray click cannot do it. Shows
 * progress while the server works; the sign-in page then confirms the deletion.
 *
 * @example <DeleteAccountCard />
 */
export function DeleteAccountCard(): ReactNode {
  const [confirming, setConfirming] = useState(false);
  const remove = trpc.account.delete.useMutation({
    // The account and all its sessions are gone: every tab must forget the token.
    onSuccess: () => sessionClient.endSession({ reason: "deleted" }),
  });
  const error = remove.error ? readAuthError(remove.error) : null;
  const twoFactor = useTwoFactor();

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (remove.isPending) return;
    const form = new FormData(event.currentTarget);
    // The API requires a code while two-step verification is on (SECOND_FACTOR_INVALID without one).
    const code = twoFactor?.totp ? { code: formText(form, "code").trim() } : {};
    remove.mutate({ password: formText(form, "password"), ...code });
  };

  return (
    <section className="card card-danger" aria-labelledby="delete-title">
      <h2 id="delete-title">Delete account</h2>
      <p className="muted">Removes your account and signs out every device. This cannot be undone.</p>
      {confirming ? (
        <CredentialForm action="/account" className="form" onSubmit={onSubmit} aria-busy={remove.isPending}>
          <FormAlert message={error ? friendlyMessage(error, { INVALID_CREDENTIALS: "That password is incorrect." }) : null} />
          <Field
            form="delete"
            name="password"
            label="Confirm with your password"
            type="password"
            autoComplete="current-password"
            required
            errors={error?.fieldErrors.password}
          />
          {twoFactor?.totp ? <CodeField form="delete" errors={error?.fieldErrors.code} /> : null}
          <div className="actions">
            <button type="submit" className="button button-danger" disabled={remove.isPending} aria-busy={remove.isPending}>
              {remove.isPending ? <span className="spinner" aria-hidden="true" /> : null}
              Delete my account
            </button>
            <button type="button" className="button button-ghost" disabled={remove.isPending} onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
          {remove.isPending ? (
            <p className="muted" role="status">
              Deleting your account and signing out every device…
            </p>
          ) : null}
        </CredentialForm>
      ) : (
        <div className="actions">
          <button type="button" className="button button-danger-outline" onClick={() => setConfirming(true)}>
            Delete account…
          </button>
        </div>
      )}
    </section>
  );
}
