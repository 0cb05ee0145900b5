import { z } from "zod";
import { signinInputSchema } from "../input.ts";

// Transport bounds only. A code of the wrong shape answers SECOND_FACTOR_INVALID, as a wrong
// code does: a form shows "that code did not work" either way, and a guesser learns nothing.
const password = signinInputSchema.shape.password;
const code = z.string().max(64, "The code is not valid");
// A malformed token answers MFA_TOKEN_INVALID from the core, as an unknown one does.
const mfaToken = z.string().max(256, "The sign-in attempt is not valid");

/** What `totpSetup` accepts: the password, checked again (throttled like sign-in). */
export const totpSetupInputSchema = z.object({ password });
export type TOTPSetupInput = z.input<typeof totpSetupInputSchema>;

/** What `totpEnable` accepts: a current code of the pending secret. */
export const totpEnableInputSchema = z.object({ code });
export type TOTPEnableInput = z.input<typeof totpEnableInputSchema>;

/** What `totpDisable` and `regenerateRecoveryCodes` accept: the password and a TOTP or recovery code. */
export const totpConfirmInputSchema = z.object({ password, code });
export type TOTPConfirmInput = z.input<typeof totpConfirmInputSchema>;

/** A code for a sensitive change (`changePassword`, `changeEmail`, `deleteUser`), required while TOTP is on. */
export const optionalCodeSchema = code.optional();

/**
 * What `verifySecondFactor` accepts: the sign-in's `mfaToken` and either a TOTP `code` or a
 * `recoveryCode`, exactly one of them.
 */
export const verifySecondFactorInputSchema = z
  .object({ mfaToken, code: code.optional(), recoveryCode: code.optional() })
  .superRefine((input, ctx) => {
    if ((input.code === undefined) === (input.recoveryCode === undefined)) {
      ctx.addIssue({ code: "custom", path: ["code"], message: "Enter the code from your app, or a recovery code" });
    }
  });
export type VerifySecondFactorInput = z.input<typeof verifySecondFactorInputSchema>;
