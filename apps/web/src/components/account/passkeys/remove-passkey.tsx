"use client";

import type { ReactNode } from "react";
import { confirmWithPasskey } from "../../../lib/passkeys/confirm-with-passkey.ts";
import { usePasskeyCeremony } from "../../../lib/passkeys/use-passkey-ceremony.ts";
import type { PasskeySummary } from "../../../lib/trpc/router-types.ts";
import { trpc } from "../../../lib/trpc/trpc.ts";
import { CONFIRM_MESSAGES } from "./confirm-messages.ts";
import { type ConfirmInput, ConfirmPasskeyChange, type SecondStepChoice } from "./confirm-passkey-change.tsx";

interface RemovePasskeyProps {
  email: string;
  passkey: PasskeySummary;
  secondStep: SecondStepChoice | null;
  onRemoved(): void;
  onCancel(): void;
}

/**
 * Removes one passkey after the password (and a second step while the account has TOTP or
 * another passkey; the one being removed cannot vouch for itself).
 *
 * @example <RemovePasskey email={email} passkey={row} secondStep={null} onRemoved={refresh} onCancel={close} />
 */
export function RemovePasskey({ email, passkey, secondStep, onRemoved, onCancel }: RemovePasskeyProps): ReactNode {
  const { client } = trpc.useUtils();
  const ceremony = usePasskeyCeremony(CONFIRM_MESSAGES);

  const onConfirm = (input: ConfirmInput) => {
    void ceremony
      .run(async () => {
        const proof = input.usePasskey
          ? { passkey: await confirmWithPasskey(client, { except: passkey.id }) }
          : input.code
            ? { code: input.code }
            : {};
        return client.account.removePasskey.mutate({ id: passkey.id, password: input.password, ...proof });
      })
      .then((removed) => {
        if (removed) onRemoved();
      });
  };

  return (
    <ConfirmPasskeyChange
      form={`passkey-remove-${passkey.id}`}
      email={email}
      secondStep={secondStep}
      submitLabel="Remove passkey"
      running={ceremony.running}
      failure={ceremony.failure}
      onConfirm={onConfirm}
      onCancel={onCancel}
    />
  );
}
