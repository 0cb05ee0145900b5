"use client";

import Link from "next/link";
import type { FormEvent, ReactNode } from "react";
import { readAuthError } from "@bearer-kit/react/client";
import { formText } from "../lib/form-text.ts";
import { friendlyMessage } from "../lib/friendly-message.ts";
import { trpc } from "../lib/trpc/trpc.ts";
import { AuthCard } from "./auth-card.tsx";
import { CredentialForm } from "./credential-form.tsx";
import { Field } from "./field.tsx";
import { FormAlert } from "./form-alert.tsx";
import { SubmitButton } from "./submit-button.tsx";

/**
 * The same words for every address, known or not: the server answers alike, and so must the
 * page, or it would tell anyone which emails have accounts.
 */
export const RESET_REQUESTED = "If an account uses that address, we have sent it a link to set a new password. Check your inbox.";

/**
 * Asks for a password-reset link by email.
 *
 * @example <ForgotPasswordForm />
 */
export function ForgotPasswordForm(): ReactNode {
  const request = trpc.auth.requestPasswordReset.useMutation();
  const error = request.error ? readAuthError(request.error) : null;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (request.isPending) return;
    request.mutate({ email: formText(new FormData(event.currentTarget), "email") });
  };

  return (
    <AuthCard
      title="Forgot your password?"
      subtitle="Enter your account's email and we will send you a link to set a new one."
      footer={
        <>
          Remembered it? <Link href="/signin">Sign in</Link>
        </>
      }
    >
      {/* A POST before hydration, so the address never lands in a URL (see CredentialForm). */}
      <CredentialForm action="/forgot-password" className="form" onSubmit={onSubmit}>
        <FormAlert message={error ? friendlyMessage(error) : null} />
        <FormAlert tone="success" message={request.isSuccess ? RESET_REQUESTED : null} />
        <Field form="forgot" name="email" label="Email" type="email" autoComplete="username" required errors={error?.fieldErrors.email} />
        <SubmitButton pending={request.isPending}>Send reset link</SubmitButton>
      </CredentialForm>
    </AuthCard>
  );
}
