"use client";

import { startRegistration } from "@simplewebauthn/browser";
import type { ReactNode } from "react";
import { formText } from "../../../lib/form-text.ts";
import { confirmWithPasskey } from "../../../lib/passkeys/confirm-with-passkey.ts";
import { usePasskeyCeremony } from "../../../lib/passkeys/use-passkey-ceremony.ts";
import type { PasskeySummary } from "../../../lib/trpc/router-types.ts";
import { trpc } from "../../../lib/trpc/trpc.ts";
import { Field } from "../../field.tsx";
import { CONFIRM_MESSAGES } from "./confirm-messages.ts";
import { type ConfirmInput, ConfirmPasskeyChange, type SecondStepChoice } from "./confirm-passkey-change.tsx";

/** What `account.addPasskey` answers: the new passkey, and recovery codes when it is the first second factor. */
export interface AddedPasskey {
  passkey: PasskeySummary;
  recoveryCodes: string[] | null;
}

interface AddPasskeyProps {
  email: string;
  secondStep: SecondStepChoice | null;
  onAdded(added: AddedPasskey): void;
  onCancel(): void;
}

/**
 * "Add a passkey": a name, the password (and a second step when the account has one), then the
 * browser's prompt to create the passkey, which the API checks and stores. The challenge comes
 * only after the confirmation, so a stolen session alone cannot add a way in.
 *
 * @example <AddPasskey email={email} secondStep={null} onAdded={show} onCancel={close} />
 */
export function AddPasskey({ email, secondStep, onAdded, onCancel }: AddPasskeyProps): ReactNode {
  const { client } = trpc.useUtils();
  const ceremony = usePasskeyCeremony(CONFIRM_MESSAGES);

  const onConfirm = (input: ConfirmInput, data: FormData) => {
    const name = formText(data, "name").trim();
    void ceremony
      .run(async () => {
        const proof = input.usePasskey ? { passkey: await confirmWithPasskey(client) } : input.code ? { code: input.code } : {};
        const optionsJSON = await client.account.passkeyRegistrationOptions.mutate({ password: input.password, ...proof });
        const response = await startRegistration({ optionsJSON });
        return client.account.addPasskey.mutate({ response, ...(name ? { name } : {}) });
      })
      .then((added) => {
        if (added) onAdded(added);
      });
  };

  return (
    <ConfirmPasskeyChange
      form="passkey-add"
      email={email}
      secondStep={secondStep}
      submitLabel="Create passkey"
      running={ceremony.running}
      failure={ceremony.failure}
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      <Field
        form="passkey-add"
        name="name"
        label="Passkey name"
        autoComplete="off"
        maxLength={64}
        placeholder="e.g. Laptop fingerprint"
        hint="Optional: to tell your passkeys apart."
      />
    </ConfirmPasskeyChange>
  );
}
