"use client";

import { readAuthError } from "@bearer-kit/react/client";
import { type ReactNode, useState } from "react";
import { friendlyMessage } from "../../../lib/friendly-message.ts";
import { usePasskeySupport } from "../../../lib/passkeys/use-passkey-support.ts";
import { trpc } from "../../../lib/trpc/trpc.ts";
import { useTwoFactor } from "../../../lib/use-two-factor.ts";
import { FormAlert } from "../../form-alert.tsx";
import { RecoveryCodes } from "../two-factor/recovery-codes.tsx";
import { AddPasskey } from "./add-passkey.tsx";
import { PasskeyRow } from "./passkey-row.tsx";

/**
 * The "Passkeys" card: the account's passkeys (newest first), each renamable and removable, and
 * "Add a passkey". A passkey signs in on its own, and answers the second step after a password.
 * The first one, on an account with no other second factor, comes with recovery codes, shown once.
 *
 * @example <PasskeysCard email={session.user.email} />
 */
export function PasskeysCard({ email }: { email: string }): ReactNode {
  const supported = usePasskeySupport();
  const twoFactor = useTwoFactor();
  const utils = trpc.useUtils();
  const passkeys = trpc.account.passkeys.useQuery();
  const [adding, setAdding] = useState(false);
  // The codes live only in this state: the server cannot show them again.
  const [codes, setCodes] = useState<string[] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // The two-step summary (auth.me) counts passkeys and decides the other cards' code fields.
  const refresh = () => {
    void utils.account.passkeys.invalidate();
    void utils.auth.me.invalidate();
  };
  const changed = (message: string) => {
    setNotice(message);
    refresh();
  };

  const list = passkeys.data ?? [];
  const totp = twoFactor?.totp ?? false;
  const addSecondStep = totp || list.length > 0 ? { totp, passkey: list.length > 0 } : null;

  let body: ReactNode;
  if (codes) {
    body = <RecoveryCodes codes={codes} onDone={() => setCodes(null)} />;
  } else if (!passkeys.data || !twoFactor) {
    body = passkeys.error ? null : <p className="muted">Loading passkeys…</p>;
  } else {
    body = (
      <>
        {list.length === 0 ? (
          <p data-testid="passkeys-empty">No passkeys yet: your password signs you in.</p>
        ) : (
          <ul className="session-list" aria-label="Passkeys">
            {list.map((passkey) => {
              const others = list.length - 1;
              return (
                <PasskeyRow
                  key={passkey.id}
                  email={email}
                  passkey={passkey}
                  removeSecondStep={totp || others > 0 ? { totp, passkey: others > 0 } : null}
                  onChanged={changed}
                />
              );
            })}
          </ul>
        )}
        {adding ? (
          <AddPasskey
            email={email}
            secondStep={addSecondStep}
            onCancel={() => setAdding(false)}
            onAdded={({ recoveryCodes }) => {
              setAdding(false);
              setCodes(recoveryCodes);
              changed("Passkey added. You can now sign in with it.");
            }}
          />
        ) : supported ? (
          <div className="actions">
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                setNotice(null);
                setAdding(true);
              }}
            >
              Add a passkey
            </button>
          </div>
        ) : (
          <p className="muted">This browser does not support passkeys.</p>
        )}
      </>
    );
  }

  return (
    <section className="card" aria-labelledby="passkeys-title">
      <h2 id="passkeys-title">Passkeys</h2>
      <p className="muted">
        Sign in with your fingerprint, face or screen lock instead of a password. With a passkey, a password sign-in also asks for
        it as a second step.
      </p>
      <FormAlert tone="success" message={notice} />
      <FormAlert message={passkeys.error ? friendlyMessage(readAuthError(passkeys.error)) : null} />
      {body}
    </section>
  );
}
