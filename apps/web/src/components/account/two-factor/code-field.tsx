import type { ReactNode } from "react";
import { Field } from "../../field.tsx";

/**
 * The second factor a sensitive change asks for while two-step verification is on: a code from
 * the authenticator app, or a recovery code (so a lost phone does not lock the account's settings).
 *
 * @example {twoFactor?.totp ? <CodeField form="password" errors={error?.fieldErrors.code} /> : null}
 */
export function CodeField({ form, errors }: { form: string; errors: string[] | undefined }): ReactNode {
  return (
    <Field
      form={form}
      name="code"
      label="Authentication code"
      autoComplete="one-time-code"
      spellCheck={false}
      required
      hint="The 6-digit code from your authenticator app, or a recovery code."
      errors={errors}
    />
  );
}
