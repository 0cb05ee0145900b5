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
 * The registration form; a new account is signed in straight away and lands on /account.
 *
 * @example <RegisterForm />
 */
export function RegisterForm(): ReactNode {
  const router = useRouter();
  useSessionRedirect({ when: "signed-in", to: "/account" });
  const register = trpc.auth.register.useMutation({
    onSuccess: (payload) => {
      startSession(payload);
      router.push("/account");
    },
  });
  const error = register.error ? readAuthError(register.error) : null;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    register.mutate({ name: formText(form, "name"), email: formText(form, "email"), password: formText(form, "password") });
  };

  return (
    <AuthCard
      title="Create your account"
      subtitle="It takes a few seconds. No email confirmation in this demo."
      footer={
        <>
          Already have an account? <Link href="/signin">Sign in</Link>
        </>
      }
    >
      <form className="form" onSubmit={onSubmit}>
        <FormAlert message={error ? friendlyMessage(error) : null} />
        <Field form="register" name="name" label="Name" autoComplete="name" required errors={error?.fieldErrors.name} />
        <Field form="register" name="email" label="Email" type="email" autoComplete="email" required errors={error?.fieldErrors.email} />
        <Field
          form="register"
          name="password"
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          hint="At least 8 characters. A passphrase works well."
          errors={error?.fieldErrors.password}
        />
        <SubmitButton pending={register.isPending}>Create account</SubmitButton>
      </form>
    </AuthCard>
  );
}
