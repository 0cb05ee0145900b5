"use client";

import Link from "next/link";
import { type FormEvent, type ReactNode, useEffect } from "react";
import { readAuthError } from "@bearer-kit/react/client";
import { friendlyMessage } from "../lib/friendly-message.ts";
import { LINK_ERROR_CODES, NOT_ME_LINK_MESSAGES } from "../lib/link-messages.ts";
import { trpc } from "../lib/trpc/trpc.ts";
import { useLinkToken } from "../lib/use-link-token.ts";
import { AuthCard } from "./auth-card.tsx";
import { CredentialForm } from "./credential-form.tsx";
import { FormAlert } from "./form-alert.tsx";
import { SubmitButton } from "./submit-button.tsx";

/**
 * The "This wasn't me" page of a new-device alert: one button signs the account out everywhere,
 * then the page continues to /reset-password with the reset token the server answered.
 * A button, not an automatic post: mail scanners that open links (and run their scripts) must
 * not sign the owner out.
 *
 * @example <NotMeForm />
 */
export function NotMeForm(): ReactNode {
  const link = useLinkToken();
  const report = trpc.auth.reportUnrecognizedSignin.useMutation();
  const resetToken = report.data?.resetToken;

  // A full load, replacing this entry: the spent link's page is not one "Back" away.
  useEffect(() => {
    if (resetToken) window.location.replace(`/reset-password#token=${encodeURIComponent(resetToken)}`);
  }, [resetToken]);

  const error = report.error ? readAuthError(report.error) : null;
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (link.status !== "found" || report.isPending || report.isSuccess) return;
    report.mutate({ token: link.token });
  };

  let content: ReactNode;
  if (link.status === "missing") {
    content = <FormAlert message="This page needs the link from your email, in full. Open the link again." />;
  } else if (error?.code && LINK_ERROR_CODES.has(error.code)) {
    content = (
      <>
        <FormAlert message={friendlyMessage(error, { ...NOT_ME_LINK_MESSAGES })} />
        <p>
          <Link href="/forgot-password">Reset your password</Link>
        </p>
      </>
    );
  } else {
    content = (
      <CredentialForm action="/not-me" className="form" onSubmit={onSubmit}>
        <FormAlert message={error ? friendlyMessage(error) : null} />
        <p>
          If you did not sign in from the device in the email, someone may know your password. This signs your account out on every device,
          then lets you choose a new password.
        </p>
        <SubmitButton pending={link.status === "reading" || report.isPending || report.isSuccess}>Sign out everywhere and reset my password</SubmitButton>
        <noscript>
          <p className="alert alert-error">This page needs JavaScript to read the link from your email. Turn it on and reload.</p>
        </noscript>
      </CredentialForm>
    );
  }

  return (
    <AuthCard
      title="This wasn't me"
      subtitle="Secure your account after a sign-in you do not recognise."
      footer={
        <>
          It was me after all? <Link href="/signin">Sign in</Link>
        </>
      }
    >
      {content}
    </AuthCard>
  );
}
