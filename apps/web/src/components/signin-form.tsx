"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import type { FormEvent, ReactNode } from "react";
import { readAuthError } from "../lib/auth-error.ts";
import { formText } from "../lib/form-text.ts";
import { friendlyMessage } from "../lib/friendly-message.ts";
import { startSession } from "../lib/session/session-transitions.ts";
import { useSessionRedirect } from "../lib/session/use-session-redirect.ts";
import { trpc } from "../lib/trpc/trpc.ts";
import { AuthCard } from "./auth-card.tsx";
import { Field } from "./field.tsx";
import { FormAlert } from "./form-alert.tsx";
import { SubmitButton } from "./submit-button.tsx";

/**
 * The sign-in page's form; on success the tokens are held in memory and /account opens.
 *
 * @example <SigninForm />
 */
export function SigninForm(): ReactNode {
  const router = useRouter();
  useSessionRedirect({ when: "signed-in", to: "/account" });
  const signin = trpc.auth.signin.useMutation({
    onSuccess: (payload) => {
      startSession(payload);
      router.push("/account");
    },
  });
  const error = signin.error ? readAuthError(signin.error) : null;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    signin.mutate({ email: formText(form, "email"), password: formText(form, "password") });
  };

  return (
    <AuthCard
      title="Welcome back"
      subtitle="Sign in to manage your account and sessions."
      footer={
        <>
          New here? <Link href="/register">Create an account</Link>
        </>
      }
    >
      <form className="form" onSubmit={onSubmit}>
        <FormAlert message={error ? friendlyMessage(error) : null} />
        <Field form="signin" name="email" label="Email" type="email" autoComplete="email" required errors={error?.fieldErrors.email} />
        <Field
          form="signin"
          name="password"
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          errors={error?.fieldErrors.password}
        />
        <SubmitButton pending={signin.isPending}>Sign in</SubmitButton>
      </form>
    </AuthCard>
  );
}
