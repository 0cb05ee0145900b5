"use client";

import { PASSWORD_MIN_LENGTH } from "@bearer-kit/auth/client";
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, type ReactNode, useEffect } from "react";
import { type SecondFactorAnswer, useSession } from "@bearer-kit/react";
import { readAuthError } from "@bearer-kit/react/client";
import { formText } from "../lib/form-text.ts";
import { friendlyMessage } from "../lib/friendly-message.ts";
import { LINK_ERROR_CODES, RESET_LINK_MESSAGES } from "../lib/link-messages.ts";
import { sessionClient } from "../lib/session-client.ts";
import { trpc } from "../lib/trpc/trpc.ts";
import { useLinkToken } from "../lib/use-link-token.ts";
import { AuthCard } from "./auth-card.tsx";
import { CredentialForm } from "./credential-form.tsx";
import { Field } from "./field.tsx";
import { FormAlert } from "./form-alert.tsx";
import { SecondFactorForm } from "./second-factor-form.tsx";
import { SubmitButton } from "./submit-button.tsx";

const NEW_LINK = (
  <p>
    <Link href="/forgot-password">Request a new reset link</Link>
  </p>
);

/**
 * Sets a new password with the token from the emailed link, then signs in here like sign-in
 * does and opens /account. The server signs out every other session of the account. With
 * two-step verification on, the password is changed at once, and the session opens only after
 * the code (or a recovery code, or a passkey).
 *
 * @example <ResetPasswordForm />
 */
export function ResetPasswordForm(): ReactNode {
  const link = useLinkToken();
  const session = useSession();
  const router = useRouter();
  const reset = trpc.auth.resetPassword.useMutation({
    // With two-step verification on, the password is reset but the answer is an mfaToken, no session.
    onSuccess: (payload) => void (payload.mfaRequired || sessionClient.startSession(payload, { startedAt: Date.now() })),
  });
  const challenge = reset.data?.mfaRequired === true ? reset.data : null;
  // The session client holds the tokens the second step answers, as it does for a sign-in.
  const verify = useMutation({
    mutationFn: (answer: SecondFactorAnswer) => {
      if (!challenge) throw new Error("no second step to answer");
      return sessionClient.verifySecondFactor({ mfaToken: challenge.mfaToken, ...answer });
    },
  });
  const error = reset.error ? readAuthError(reset.error) : null;
  const verifyError = verify.error ? readAuthError(verify.error) : null;
  const linkFailed = error?.code ? LINK_ERROR_CODES.has(error.code) : false;
  // Until /account shows, the button stays disabled: the token is spent after one success.
  const busy = reset.isPending || (reset.isSuccess && !challenge);
  const opened = (reset.isSuccess && !challenge) || verify.isSuccess;

  // Only after this page's own reset: a visitor already signed in still gets to use the link.
  useEffect(() => {
    if (opened && session.status === "signed-in") router.replace("/account");
  }, [opened, session.status, router]);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy || link.status !== "found") return;
    reset.mutate({ token: link.token, password: formText(new FormData(event.currentTarget), "password") });
  };

  let content: ReactNode;
  if (link.status === "missing") {
    content = (
      <>
        <FormAlert message="This page needs the link from your email, in full. Open the link again, or ask for a new one." />
        {NEW_LINK}
      </>
    );
  } else if (linkFailed && error) {
    content = (
      <>
        <FormAlert message={friendlyMessage(error, { ...RESET_LINK_MESSAGES })} />
        {NEW_LINK}
      </>
    );
  } else if (challenge && verifyError?.code === "MFA_TOKEN_INVALID") {
    // The password did change; only this sign-in attempt is over.
    content = (
      <>
        <FormAlert message="Your password was changed, but this sign-in attempt has expired. Sign in with your new password." />
        <p>
          <Link href="/signin">Sign in</Link>
        </p>
      </>
    );
  } else if (challenge) {
    content = (
      <SecondFactorForm
        action="/reset-password"
        methods={challenge.methods}
        pending={verify.isPending || verify.isSuccess}
        error={verifyError}
        notice={`Your password was changed. Your account uses two-step verification: ${challenge.methods.includes("totp") ? "enter a code" : "use a passkey"} to sign in.`}
        passkeyOptions={() => sessionClient.passkeySigninOptions({ mfaToken: challenge.mfaToken })}
        onAnswer={(answer) => verify.mutate(answer)}
      />
    );
  } else {
    content = (
      <CredentialForm action="/reset-password" className="form" onSubmit={onSubmit}>
        <FormAlert message={error ? friendlyMessage(error) : null} />
        <Field
          form="reset"
          name="password"
          label="New password"
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN_LENGTH}
          hint={`At least ${PASSWORD_MIN_LENGTH} characters. Every other session of your account will be signed out.`}
          errors={error?.fieldErrors.password}
        />
        <SubmitButton pending={busy || link.status === "reading"}>Set new password</SubmitButton>
        <noscript>
          <p className="alert alert-error">This page needs JavaScript to read the link from your email. Turn it on and reload.</p>
        </noscript>
      </CredentialForm>
    );
  }

  return (
    <AuthCard
      title="Set a new password"
      subtitle="Choose a new password for your account."
      footer={
        <>
          Remembered it? <Link href="/signin">Sign in</Link>
        </>
      }
    >
      {content}
    </AuthCard>
  );
}
