"use client";

import { type ReactNode, useState } from "react";
import { formatDateTime, formatRelativeTime } from "../../../lib/format-time.ts";
import type { PasskeySummary } from "../../../lib/trpc/router-types.ts";
import type { SecondStepChoice } from "./confirm-passkey-change.tsx";
import { RemovePasskey } from "./remove-passkey.tsx";
import { RenamePasskey } from "./rename-passkey.tsx";

interface PasskeyRowProps {
  email: string;
  passkey: PasskeySummary;
  /** What removing this passkey must be confirmed with, beyond the password. */
  removeSecondStep: SecondStepChoice | null;
  onChanged(notice: string): void;
}

/**
 * One passkey: its name, when it was added and last used, and whether the provider syncs it to
 * the person's other devices (a synced passkey survives a lost phone; a device-bound one does not).
 *
 * @example <PasskeyRow email={email} passkey={row} removeSecondStep={null} onChanged={setNotice} />
 */
export function PasskeyRow({ email, passkey, removeSecondStep, onChanged }: PasskeyRowProps): ReactNode {
  const [open, setOpen] = useState<"rename" | "remove" | null>(null);
  const createdAt = new Date(passkey.createdAt);
  const lastUsedAt = passkey.lastUsedAt ? new Date(passkey.lastUsedAt) : null;
  const close = () => setOpen(null);

  return (
    <li className="session passkey" data-testid="passkey-row">
      <div className="session-body">
        <p className="session-title">
          <span data-testid="passkey-name">{passkey.name}</span>
          <span className={passkey.synced ? "badge" : "badge badge-muted"}>{passkey.synced ? "Synced" : "This device only"}</span>
        </p>
        <p className="session-meta">
          Added {formatDateTime(createdAt)} · Last used{" "}
          {lastUsedAt ? <time dateTime={lastUsedAt.toISOString()}>{formatRelativeTime(lastUsedAt)}</time> : "never"}
        </p>
        {open === "rename" ? (
          <RenamePasskey
            passkey={passkey}
            onCancel={close}
            onRenamed={() => {
              close();
              onChanged("Passkey renamed.");
            }}
          />
        ) : null}
        {open === "remove" ? (
          <RemovePasskey
            email={email}
            passkey={passkey}
            secondStep={removeSecondStep}
            onCancel={close}
            onRemoved={() => onChanged(`Passkey "${passkey.name}" removed.`)}
          />
        ) : null}
      </div>
      {open === null ? (
        <div className="actions">
          <button type="button" className="button button-secondary button-small" onClick={() => setOpen("rename")}>
            Rename…
          </button>
          <button type="button" className="button button-danger-outline button-small" onClick={() => setOpen("remove")}>
            Remove…
          </button>
        </div>
      ) : null}
    </li>
  );
}
