"use client";

import Link from "next/link";
import type { FormEvent, ReactNode } from "react";
import { useSignIn } from "@bearer-kit/react";
import { formText } from "../lib/form-text.ts";
import { friendlyMessage } from "../lib/friendly-message.ts";
import { usePasskeySignIn } from "../lib/passkeys/use-passkey-sign-in.ts";
import { signOutNotice } from "../lib/session/sign-out-notice.ts";
import { useSessionRedirect } from "../lib/session/use-session-redirect.ts";
import { AuthCard } from "./auth-card.tsx";
import { CredentialForm } from "./credential-form.tsx";
import { Field } from "./field.tsx";
import { FormAlert } from "./form-alert.tsx";
import { SecondFactorForm } from "./second-factor-form.tsx";
import { SessionCheck } from "./session-check.tsx";
import { SubmitButton } from "./submit-button.tsx";

/**
 * The sign-in page's form; on success the tokens are held in memory and /account opens. For an
 * account with two-step verification, the password leads to a second form for the code or a
 * passkey. A passkey alone also signs in: from the email field's autofill, or the button.
 *
 * @example <SigninForm />
 */
export function SigninForm(): ReactNode {
  // The one navigation after a sign-in: the session turns "signed-in" and this replaces the page.
  const session = useSessionRedirect({ when: "signed-in", to: "/account" });
  const signin = useSignIn();
  const error = signin.status === "error" ? signin.error : null;
  const notice = signOutNotice(session);
  // Until the new page shows, the button stays disabled: a second submit would open a second session.
  const busy = signin.status === "pending" || signin.status === "signed-in";
  const secondStep = signin.status === "second-factor" ? signin : null;
  const checking = session.status === "restoring" || (session.status === "signed-in" && !busy);
  const passkey = usePasskeySignIn(signin, { formShown: !checking && !secondStep && !busy });
  const alert = passkey.failure ?? (error ? friendlyMessage(error) : null);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    passkey.clear();
    const form = new FormData(event.currentTarget);
    signin.signIn({ email: formText(form, "email"), password: formText(form, "password") });
  };

  const passwordForm = (
    <CredentialForm action="/signin" className="form" onSubmit={onSubmit}>
      {alert ? <FormAlert message={alert} /> : notice ? <FormAlert tone={notice.tone} message={notice.message} /> : null}
      {/* "webauthn" last: the browser offers this site's passkeys among the field's suggestions (usePasskeyAutofill). */}
      <Field
        form="signin"
        name="email"
        label="Email"
        type="email"
        autoComplete="username webauthn"
        required
        errors={error?.fieldErrors.email}
      />
      <Field
        form="signin"
        name="password"
        label="Password"
        type="password"
        autoComplete="current-password"
        required
        errors={error?.fieldErrors.password}
      />
      <p className="form-aside">
        <Link href="/forgot-password">Forgot password?</Link>
      </p>
      <SubmitButton pending={busy}>Sign in</SubmitButton>
      {passkey.supported ? (
        <>
          <p className="form-divider">or</p>
          <button
            type="button"
            className="button button-secondary button-block"
            disabled={busy || passkey.running}
            aria-busy={passkey.running}
            onClick={passkey.start}
          >
            {passkey.running ? <span className="spinner" aria-hidden="true" /> : null}
            Sign in with a passkey
          </button>
        </>
      ) : null}
    </CredentialForm>
  );
  const form = secondStep ? (
    <>
      <SecondFactorForm
        action="/signin"
        methods={secondStep.methods}
        pending={secondStep.pending}
        error={secondStep.error}
        passkeyOptions={signin.passkeyOptions}
        onAnswer={signin.verify}
      />
      <p className="form-aside">
        <button type="button" className="button button-ghost button-small" disabled={secondStep.pending} onClick={signin.reset}>
          Start over
        </button>
      </p>
    </>
  ) : (
    passwordForm
  );
  return (
    <AuthCard
      title={secondStep ? "Two-step verification" : "Welcome back"}
      subtitle={secondStep ? "Your password was right. One more step to sign in." : "Sign in to manage your account and sessions."}
      footer={
        <>
          New here? <Link href="/register">Create an account</Link>
        </>
      }
    >
      {checking ? <SessionCheck>{form}</SessionCheck> : form}
    </AuthCard>
  );
}
