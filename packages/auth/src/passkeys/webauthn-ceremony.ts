/**
 * The WebAuthn ceremonies, on @simplewebauthn/server: options for the browser, and the checks of
 * what it answers (CBOR, attestation, signatures, origin and RP ID are the library's job; the
 * rules of this app are here).
 *
 * - `userVerification: "required"` everywhere: a passkey then proves possession and a PIN or
 *   biometric, which is what lets it stand for two factors.
 * - Discoverable credentials preferred, so a passkey signs in without an email typed first.
 * - The signature counter is checked here, not by the library: a non-zero counter that did not
 *   grow is refused and reported as a possible clone. Many synced passkeys always report 0,
 *   which proves nothing either way and is accepted.
 */
import type {
  AuthenticationResponseJSON,
  AuthenticatorTransportFuture,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/server";
import type { RelyingParty } from "../config/relying-party.ts";
import type { PasskeyRow } from "./passkey-store.ts";
import { WEBAUTHN_CHALLENGE_TTL } from "./webauthn-challenges.ts";

/**
 * @simplewebauthn/server, loaded at the first ceremony rather than with this package (Node caches
 * it from then on): its ASN.1 and COSE code is about 0.2 s of a cold import, paid at every start
 * and cold serverless call, while most requests never touch a passkey.
 */
const webauthn = () => import("@simplewebauthn/server");

/** Challenges, user handles and keys travel as base64url (WebAuthn's encoding); Buffer reads and writes it. */
const fromBase64URL = (value: string): Uint8Array<ArrayBuffer> => Uint8Array.from(Buffer.from(value, "base64url"));
export const toBase64URL = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64url");

/**
 * The options the passkey procedures answer, for `startRegistration` / `startAuthentication`.
 * Aliases of our own, so a package built on this one (the tRPC router) names them from here
 * and does not depend on @simplewebauthn/server for its types.
 */
// Interfaces, not type aliases: TypeScript writes an alias out as the library's type in other packages' declarations.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface PasskeyCreationOptions extends PublicKeyCredentialCreationOptionsJSON {}
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface PasskeyRequestOptions extends PublicKeyCredentialRequestOptionsJSON {}

// What the browser waits for: a little under the challenge's life, so an answer never arrives dead.
const TIMEOUT_MS = (WEBAUTHN_CHALLENGE_TTL - 20) * 1000;

const descriptor = (row: Pick<PasskeyRow, "id" | "transports">) => ({ id: row.id, transports: row.transports as AuthenticatorTransportFuture[] });

/** The user handle of an account: its UUID's 16 bytes, nothing personal (the spec asks for no email here). */
export function userHandle(userId: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(Buffer.from(userId.replaceAll("-", ""), "hex"));
}

export async function registrationOptions(
  rp: RelyingParty,
  { user, existing, challenge }: { user: { id: string; email: string; name: string }; existing: readonly PasskeyRow[]; challenge: string },
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const { generateRegistrationOptions } = await webauthn();
  return generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: user.email,
    userDisplayName: user.name,
    userID: userHandle(user.id),
    challenge: fromBase64URL(challenge),
    timeout: TIMEOUT_MS,
    // No attestation: we trust the passkey by what it signs later, not by its maker.
    attestationType: "none",
    // One credential per authenticator: the browser refuses to register a passkey it already holds.
    excludeCredentials: existing.map(descriptor),
    authenticatorSelection: { residentKey: "preferred", userVerification: "required" },
  });
}

/** Options for an assertion: any discoverable passkey of this RP (`allow` empty), or one of `allow`. */
export async function assertionOptions(rp: RelyingParty, allow: readonly PasskeyRow[], challenge: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const { generateAuthenticationOptions } = await webauthn();
  return generateAuthenticationOptions({
    rpID: rp.id,
    challenge: fromBase64URL(challenge),
    timeout: TIMEOUT_MS,
    allowCredentials: allow.map(descriptor),
    userVerification: "required",
  });
}

/**
 * The challenge the client signed, read from its `clientDataJSON` before anything is verified:
 * only to find the stored challenge, which verification then requires it to equal.
 */
export function signedChallenge(response: { response: { clientDataJSON: string } }): string | null {
  try {
    const data: unknown = JSON.parse(Buffer.from(response.response.clientDataJSON, "base64url").toString("utf8"));
    const challenge = typeof data === "object" && data !== null && "challenge" in data ? data.challenge : null;
    return typeof challenge === "string" ? challenge : null;
  } catch {
    return null;
  }
}

/** A verified new credential, ready to store. */
export interface VerifiedRegistration {
  id: string;
  publicKey: string;
  counter: number;
  transports: string[];
  backupEligible: boolean;
  backedUp: boolean;
}

/** The new credential if the attestation verifies for `challenge` on this RP with user verification; `null` otherwise. */
export async function verifyRegistration(rp: RelyingParty, response: RegistrationResponseJSON, challenge: string): Promise<VerifiedRegistration | null> {
  const { verifyRegistrationResponse } = await webauthn();
  try {
    const { verified, registrationInfo } = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: [...rp.origins],
      expectedRPID: rp.id,
      requireUserVerification: true,
    });
    if (!verified) return null;
    const { credential, credentialDeviceType, credentialBackedUp } = registrationInfo;
    return {
      id: credential.id,
      publicKey: toBase64URL(credential.publicKey),
      counter: credential.counter,
      transports: credential.transports ?? response.response.transports ?? [],
      backupEligible: credentialDeviceType === "multiDevice",
      backedUp: credentialBackedUp,
    };
  } catch {
    // The library throws for every malformed or mismatched response: each is simply "not valid".
    return null;
  }
}

/** What an assertion proved: the counter to store and the backup state now; or why it proved nothing. */
export type AssertionCheck = { ok: true; counter: number; backedUp: boolean } | { ok: false; reason: "invalid" | "counter_regressed"; counter?: number };

export async function verifyAssertion(
  rp: RelyingParty,
  stored: PasskeyRow,
  { response, challenge }: { response: AuthenticationResponseJSON; challenge: string },
): Promise<AssertionCheck> {
  const { verifyAuthenticationResponse } = await webauthn();
  let info;
  try {
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: [...rp.origins],
      expectedRPID: rp.id,
      // Counter 0 here: the library would throw on a regression like on a bad signature, and a
      // regression is worth telling apart (a cloned authenticator), so it is checked below.
      credential: { id: stored.id, publicKey: fromBase64URL(stored.publicKey), counter: 0 },
      requireUserVerification: true,
    });
    if (!result.verified) return { ok: false, reason: "invalid" };
    info = result.authenticationInfo;
  } catch {
    return { ok: false, reason: "invalid" };
  }
  const { newCounter } = info;
  if ((newCounter > 0 || stored.counter > 0) && newCounter <= stored.counter) return { ok: false, reason: "counter_regressed", counter: newCounter };
  return { ok: true, counter: newCounter, backedUp: info.credentialBackedUp };
}
