import { z } from "zod";
import { signinInputSchema } from "../input.ts";
import { authenticationResponseSchema, base64url, extensionResults, optionalCodeSchema } from "../second-factors/second-factor-input.ts";

const credentialId = base64url(1024).min(1, "The passkey response is not valid");
const attachment = z.enum(["platform", "cross-platform"]).optional();
const transport = z.enum(["ble", "cable", "hybrid", "internal", "nfc", "smart-card", "usb"]);

/** A new credential (`navigator.credentials.create`), as `startRegistration` returns it. */
export const registrationResponseSchema = z.object({
  id: credentialId,
  rawId: credentialId,
  // A string, so the browser library's JSON (typed `PublicKeyCredentialType`) passes as it is.
  type: z.string().refine((type) => type === "public-key", "The passkey response is not valid"),
  response: z.object({
    clientDataJSON: base64url(4096),
    attestationObject: base64url(16_384),
    authenticatorData: base64url(4096).optional(),
    transports: z.array(transport).max(8).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: base64url(4096).optional(),
  }),
  clientExtensionResults: extensionResults,
  authenticatorAttachment: attachment,
});

/** A passkey's name, as its owner sees it in the list. */
export const passkeyNameSchema = z.string().trim().min(1, "Enter a name").max(64, "Use at most 64 characters");

// A credential id as stored (base64url); a malformed one is simply not found.
const passkeyId = z.string().max(1024, "No such passkey");
const mfaToken = z.string().max(256, "The sign-in attempt is not valid");

/**
 * The fresh second step a passkey change asks for besides the password, while the account has
 * TOTP or another passkey: a TOTP or recovery `code`, or a `passkey` assertion answering
 * `passkeyConfirmOptions`.
 */
const confirmation = { password: signinInputSchema.shape.password, code: optionalCodeSchema, passkey: authenticationResponseSchema.optional() };

/** What `passkeyRegistrationOptions` accepts. */
export const passkeyRegistrationOptionsInputSchema = z.object(confirmation);
export type PasskeyRegistrationOptionsInput = z.input<typeof passkeyRegistrationOptionsInputSchema>;

/** What `addPasskey` accepts: the new credential, and a name (default "Passkey"). */
export const addPasskeyInputSchema = z.object({ response: registrationResponseSchema, name: passkeyNameSchema.optional() });
export type AddPasskeyInput = z.input<typeof addPasskeyInputSchema>;

/** What `renamePasskey` accepts. */
export const renamePasskeyInputSchema = z.object({ id: passkeyId, name: passkeyNameSchema });
export type RenamePasskeyInput = z.input<typeof renamePasskeyInputSchema>;

/** What `removePasskey` accepts: the passkey and the same confirmation as a registration. */
export const removePasskeyInputSchema = z.object({ id: passkeyId, ...confirmation });
export type RemovePasskeyInput = z.input<typeof removePasskeyInputSchema>;

/** What `passkeySigninOptions` accepts: nothing for a usernameless sign-in, the `mfaToken` for a second step. */
export const passkeySigninOptionsInputSchema = z.object({ mfaToken: mfaToken.optional() }).default({});
export type PasskeySigninOptionsInput = z.input<typeof passkeySigninOptionsInputSchema>;

/** What `signinWithPasskey` accepts. */
export const signinWithPasskeyInputSchema = z.object({ response: authenticationResponseSchema });
export type SigninWithPasskeyInput = z.input<typeof signinWithPasskeyInputSchema>;
