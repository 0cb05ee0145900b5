"use client";

import type { ReactNode } from "react";
import { readAuthError } from "@bearer-kit/react/client";
import { friendlyMessage } from "../../lib/friendly-message.ts";
import { trpc } from "../../lib/trpc/trpc.ts";
import { FormAlert } from "../form-alert.tsx";

/**
 * "Email not verified" and a button that sends a fresh link, shown until `auth.me` says the
 * address is verified; nothing once it is (or before `auth.me` has answered).
 *
 * @example <EmailVerification verified={me.data?.emailVerified} />
 */
export function EmailVerification({ verified }: { verified: boolean | undefined }): ReactNode {
  const resend = trpc.auth.resendVerification.useMutation();
  if (verified !== false) return null;
  const error = resend.error ? readAuthError(resend.error) : null;
  return (
    <div className="verify-row" data-testid="email-verification">
      <span className="badge badge-warning">Email not verified</span>
      <button
        type="button"
        className="button button-secondary button-small"
        disabled={resend.isPending}
        onClick={() => resend.mutate()}
      >
        Resend verification email
      </button>
      <FormAlert message={error ? friendlyMessage(error) : null} />
      <FormAlert tone="success" message={resend.isSuccess ? "Sent. Open the link in the email to verify your address." : null} />
    </div>
  );
}
