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

// Transport bounds only: what the browser's WebAuthn API returns, base64url-encoded. The
// signature, the origin, the challenge and the counter are checked by @simplewebauthn/server; a
// response of the right shape that fails them answers PASSKEY_INVALID, as a forged one does.
/** A base64url string of at most `max` characters, as WebAuthn responses carry their bytes. */
export const base64url = (max: number) => z.string().max(max, "The passkey response is not valid").regex(/^[A-Za-z0-9_-]*$/, "The passkey response is not valid");

/** The client's extension outputs: any object (typed `object` so the browser library's interface type passes). */
export const extensionResults = z
  .custom<object>((value) => typeof value === "object" && value !== null && !Array.isArray(value), "The passkey response is not valid")
  .default({});

/** A WebAuthn assertion (`navigator.credentials.get`), as `@simplewebauthn/browser`'s `startAuthentication` returns it. */
export const authenticationResponseSchema = z.object({
  id: base64url(1024).min(1, "The passkey response is not valid"),
  rawId: base64url(1024).min(1, "The passkey response is not valid"),
  // A string, so the browser library's JSON (typed `PublicKeyCredentialType`) passes as it is.
  type: z.string().refine((type) => type === "public-key", "The passkey response is not valid"),
  response: z.object({
    clientDataJSON: base64url(4096),
    authenticatorData: base64url(4096),
    signature: base64url(1024),
    userHandle: base64url(128).optional(),
  }),
  clientExtensionResults: extensionResults,
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
});
export type AuthenticationResponseInput = z.input<typeof authenticationResponseSchema>;

/**
 * What `verifySecondFactor` accepts: the sign-in's `mfaToken` and either a TOTP `code`, a
 * `recoveryCode` or a `passkey` assertion, exactly one of them.
 */
export const verifySecondFactorInputSchema = z
  .object({ mfaToken, code: code.optional(), recoveryCode: code.optional(), passkey: authenticationResponseSchema.optional() })
  .superRefine((input, ctx) => {
    const given = [input.code, input.recoveryCode, input.passkey].filter((answer) => answer !== undefined).length;
    if (given !== 1) {
      ctx.addIssue({ code: "custom", path: ["code"], message: "Enter the code from your app, or a recovery code, or use a passkey" });
    }
  });
export type VerifySecondFactorInput = z.input<typeof verifySecondFactorInputSchema>;
