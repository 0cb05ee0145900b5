import { z } from "zod";
import { emailSchema } from "./email.ts";
import { AuthError } from "./errors.ts";

// Transport bounds only; the password policy (8 to 256 characters) is checked by the core,
// which reports it as WEAK_PASSWORD or INVALID_INPUT with the field named.
// Any character may be in a password, NUL included: it is hashed, never stored. Only a lone
// surrogate is refused, as the hash would see U+FFFD in its place and take other passwords too.
const password = z
  .string()
  .min(1, "Enter your password")
  .max(1024, "Password is too long")
  .refine((value) => value.isWellFormed(), "Password must be valid Unicode");

/** What `register` accepts. Unknown keys are stripped, so `id` or `role` can never be set. */
export const registerInputSchema = z.object({
  email: emailSchema,
  password,
  name: z
    .string()
    // PostgreSQL text cannot hold NUL, and control characters or lone surrogates in a display
    // name are never intended: refuse them here rather than fail (or silently rewrite) on insert.
    .refine((name) => !/\p{Cc}/u.test(name), "Name must not contain control characters")
    .refine((name) => name.isWellFormed(), "Name must be valid Unicode")
    .transform((name) => name.trim())
    .pipe(z.string().min(1, "Enter your name").max(100, "Name must be at most 100 characters")),
});
export type RegisterInput = z.input<typeof registerInputSchema>;

/** What `signin` accepts. */
export const signinInputSchema = z.object({ email: emailSchema, password });
export type SigninInput = z.input<typeof signinInputSchema>;

/** Parses `input`, or throws `INVALID_INPUT` with a message per field. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of result.error.issues) {
    const field = issue.path.join(".") || "input";
    (fieldErrors[field] ??= []).push(issue.message);
  }
  const first = result.error.issues[0]?.message ?? "Invalid input";
  throw new AuthError("INVALID_INPUT", first, { fieldErrors });
}

// Any string up to a bound: the core answers a malformed token with LINK_INVALID, as it does an
// unknown one, so a client shows "ask for a new link" rather than a form error.
const emailedToken = z.string().max(1024, "The link is not valid");

/** What `requestPasswordReset` accepts. */
export const requestPasswordResetInputSchema = z.object({ email: emailSchema });
export type RequestPasswordResetInput = z.input<typeof requestPasswordResetInputSchema>;

/** What `resetPassword` accepts; the password policy is checked by the core (`WEAK_PASSWORD`). */
export const resetPasswordInputSchema = z.object({ token: emailedToken, password });
export type ResetPasswordInput = z.input<typeof resetPasswordInputSchema>;

/** What `verifyEmail` accepts: the token from a verification or email-change link. */
export const verifyEmailInputSchema = z.object({ token: emailedToken });
export type VerifyEmailInput = z.input<typeof verifyEmailInputSchema>;

/** What `reportUnrecognizedSignin` accepts: the token of a new-device alert's "This wasn't me" link. */
export const reportUnrecognizedSigninInputSchema = z.object({ token: emailedToken });
export type ReportUnrecognizedSigninInput = z.input<typeof reportUnrecognizedSigninInputSchema>;

/**
 * What `changeEmail` accepts: the current password, the new address, and with TOTP on a code
 * (bounded here; a wrong-shaped one answers SECOND_FACTOR_INVALID like a wrong one).
 */
export const changeEmailInputSchema = z.object({ password, newEmail: emailSchema, code: z.string().max(64, "The code is not valid").optional() });
export type ChangeEmailInput = z.input<typeof changeEmailInputSchema>;
