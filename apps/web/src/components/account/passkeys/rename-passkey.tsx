"use client";

import { readAuthError } from "@bearer-kit/react/client";
import type { FormEvent, ReactNode } from "react";
import { formText } from "../../../lib/form-text.ts";
import { friendlyMessage } from "../../../lib/friendly-message.ts";
import type { PasskeySummary } from "../../../lib/trpc/router-types.ts";
import { trpc } from "../../../lib/trpc/trpc.ts";
import { Field } from "../../field.tsx";
import { FormAlert } from "../../form-alert.tsx";
import { SubmitButton } from "../../submit-button.tsx";

/**
 * Renames a passkey. A name is only a label, so no password is asked.
 *
 * @example <RenamePasskey passkey={row} onRenamed={close} onCancel={close} />
 */
export function RenamePasskey({ passkey, onRenamed, onCancel }: { passkey: PasskeySummary; onRenamed(): void; onCancel(): void }): ReactNode {
  const rename = trpc.account.renamePasskey.useMutation({ onSuccess: onRenamed });
  const error = rename.error ? readAuthError(rename.error) : null;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (rename.isPending) return;
    rename.mutate({ id: passkey.id, name: formText(new FormData(event.currentTarget), "name").trim() });
  };
  return (
    <form className="form" onSubmit={onSubmit}>
      <FormAlert message={error ? friendlyMessage(error, { NOT_FOUND: "This passkey was removed meanwhile." }) : null} />
      <Field
        form={`passkey-rename-${passkey.id}`}
        name="name"
        label="New name"
        defaultValue={passkey.name}
        autoComplete="off"
        required
        maxLength={64}
        autoFocus
        errors={error?.fieldErrors.name}
      />
      <div className="actions">
        <SubmitButton pending={rename.isPending}>Save name</SubmitButton>
        <button type="button" className="button button-ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
