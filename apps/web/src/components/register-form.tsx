"use client";

import { PASSWORD_MIN_LENGTH } from "@bearer-kit/auth/client";
import Link from "next/link";
import type { FormEvent, ReactNode } from "react";
import { readAuthError } from "@bearer-kit/react/client";
import { formText } from "../lib/form-text.ts";
import { friendlyMessage } from "../lib/friendly-message.ts";
import { sessionClient } from "../lib/session-client.ts";
import { useSessionRedirect } from "../lib/session/use-session-redirect.ts";
import { trpc } from "../lib/trpc/trpc.ts";
import { AuthCard } from "./auth-card.tsx";
import { CredentialForm } from "./credential-form.tsx";
import { Field } from "./field.tsx";
import { FormAlert } from "./form-alert.tsx";
import { SessionCheck } from "./session-check.tsx";
import { SubmitButton } from "./submit-button.tsx";

/**
 * The registration form; a new account is signed in straight away and lands on /account.
 *
 * @example <RegisterForm />
 */
export function RegisterForm(): ReactNode {
  // The one navigation after registering: the session turns "signed-in" and this replaces the page.
  const session = useSessionRedirect({ when: "signed-in", to: "/account" });
  const register = trpc.auth.register.useMutation({
    // With AUTH_REQUIRE_EMAIL_VERIFICATION the server hands out no tokens until the email is verified.
    onSuccess: (payload) => {
      if (!payload.verificationRequired) void sessionClient.startSession(payload, { startedAt: Date.now() });
    },
  });
  const checkEmail = register.data?.verificationRequired === true;
  const error = register.error ? readAuthError(register.error) : null;
  const busy = register.isPending || register.isSuccess;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    const form = new FormData(event.currentTarget);
    register.mutate({ name: formText(form, "name"), email: formText(form, "email"), password: formText(form, "password") });
  };

  const form = (
    <CredentialForm action="/register" className="form" onSubmit={onSubmit}>
      <FormAlert message={error ? friendlyMessage(error) : null} />
      <Field form="register" name="name" label="Name" autoComplete="name" required errors={error?.fieldErrors.name} />
      <Field form="register" name="email" label="Email" type="email" autoComplete="username" required errors={error?.fieldErrors.email} />
      <Field
        form="register"
        name="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        minLength={PASSWORD_MIN_LENGTH}
        hint={`At least ${PASSWORD_MIN_LENGTH} characters. A passphrase works well.`}
        errors={error?.fieldErrors.password}
      />
      <SubmitButton pending={busy}>Create account</SubmitButton>
    </CredentialForm>
  );
  const checking = session.status === "restoring" || (session.status === "signed-in" && !busy);

  if (checkEmail) {
    return (
      <AuthCard
        title="Check your email"
        subtitle="One more step before you can sign in."
        footer={
          <>
            Verified already? <Link href="/signin">Sign in</Link>
          </>
        }
      >
        {/* The same words whether the address was new or taken: the server answers alike. */}
        <div role="status" className="alert alert-success" data-testid="check-email">
          We sent a verification link to the address you entered. Open it to activate your account, then sign in.
        </div>
      </AuthCard>
    );
  }

  return (
    <AuthCard
      title="Create your account"
      subtitle="It takes a few seconds. We email you a link to verify your address."
      footer={
        <>
          Already have an account? <Link href="/signin">Sign in</Link>
        </>
      }
    >
      {checking ? <SessionCheck>{form}</SessionCheck> : form}
    </AuthCard>
  );
}
