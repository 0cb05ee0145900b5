"use client";

import { readAuthError } from "@bearer-kit/react/client";
import { type ReactNode, useState } from "react";
import { trpc } from "../../../lib/trpc/trpc.ts";
import { useTwoFactor } from "../../../lib/use-two-factor.ts";
import { FormAlert } from "../../form-alert.tsx";
import { ConfirmWithCode } from "./confirm-with-code.tsx";
import { RecoveryCodes } from "./recovery-codes.tsx";
import { TotpSetup } from "./totp-setup.tsx";

type Step = "idle" | "setup" | "off" | "new-codes";

/**
 * The "Two-step verification" card: turns TOTP on (QR code, confirm, recovery codes shown once),
 * off, or replaces the recovery codes. `email` fills the password forms' hidden username field.
 *
 * @example <TwoFactorCard email={session.user.email} />
 */
export function TwoFactorCard({ email }: { email: string }): ReactNode {
  const twoFactor = useTwoFactor();
  const utils = trpc.useUtils();
  const [step, setStep] = useState<Step>("idle");
  // The codes live only in this state: the server cannot show them again.
  const [codes, setCodes] = useState<string[] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = () => void utils.auth.me.invalidate();
  const off = trpc.account.totpDisable.useMutation({
    onSuccess: () => {
      setStep("idle");
      setNotice("Two-step verification is off.");
      refresh();
    },
  });
  const newCodes = trpc.account.recoveryCodes.useMutation({
    onSuccess: ({ recoveryCodes }) => {
      setStep("idle");
      setCodes(recoveryCodes);
      refresh();
    },
  });
  const open = (next: Step) => {
    setNotice(null);
    off.reset();
    newCodes.reset();
    setStep(next);
  };

  let body: ReactNode;
  if (codes) {
    body = <RecoveryCodes codes={codes} onDone={() => setCodes(null)} />;
  } else if (!twoFactor) {
    body = <p className="muted">Loading…</p>;
  } else if (step === "setup" && !twoFactor.totp) {
    body = (
      <TotpSetup
        email={email}
        onCancel={() => setStep("idle")}
        onEnabled={(recoveryCodes) => {
          setStep("idle");
          setCodes(recoveryCodes);
          refresh();
        }}
      />
    );
  } else if (step === "off" && twoFactor.totp) {
    body = (
      <ConfirmWithCode
        form="totp-off"
        email={email}
        submitLabel="Turn off two-step verification"
        pending={off.isPending}
        error={off.error ? readAuthError(off.error) : null}
        onConfirm={(input) => off.mutate(input)}
        onCancel={() => setStep("idle")}
      />
    );
  } else if (step === "new-codes" && twoFactor.totp) {
    body = (
      <ConfirmWithCode
        form="new-codes"
        email={email}
        submitLabel="Make new recovery codes"
        pending={newCodes.isPending}
        error={newCodes.error ? readAuthError(newCodes.error) : null}
        onConfirm={(input) => newCodes.mutate(input)}
        onCancel={() => setStep("idle")}
      />
    );
  } else if (twoFactor.totp) {
    body = (
      <>
        <p data-testid="two-factor-status">
          On: sign-ins ask for a code from your authenticator app. {twoFactor.recoveryCodesLeft} recovery codes left.
        </p>
        <div className="actions">
          <button type="button" className="button button-secondary" onClick={() => open("new-codes")}>
            New recovery codes…
          </button>
          <button type="button" className="button button-danger-outline" onClick={() => open("off")}>
            Turn off…
          </button>
        </div>
      </>
    );
  } else {
    body = (
      <>
        <p data-testid="two-factor-status">
          {twoFactor.passkeys > 0
            ? "No authenticator app: sign-ins with your password ask for one of your passkeys."
            : "Off: your password alone signs you in."}
        </p>
        <div className="actions">
          <button type="button" className="button button-secondary" onClick={() => open("setup")}>
            Set up two-step verification…
          </button>
        </div>
      </>
    );
  }

  return (
    <section className="card" aria-labelledby="two-factor-title">
      <h2 id="two-factor-title">Two-step verification</h2>
      <p className="muted">A code from an authenticator app on your phone, asked after your password.</p>
      <FormAlert tone="success" message={notice} />
      {body}
    </section>
  );
}
