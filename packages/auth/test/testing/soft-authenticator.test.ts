import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type VerifiedRegistrationResponse,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type WebAuthnCredential,
} from "@simplewebauthn/server";
import { describe, expect, it } from "vitest";
import { createSoftAuthenticator, type SoftAuthenticator, type SoftAuthenticatorOptions } from "../../src/testing/index.ts";

// The soft authenticator is only useful if the real verifier accepts what it signs and refuses
// what a browser could not have sent: every case here runs @simplewebauthn/server unmocked.
const ORIGIN = "http://localhost:3000";
const RP_ID = "localhost";
const expected = { expectedOrigin: ORIGIN, expectedRPID: RP_ID };

async function register(options: Partial<SoftAuthenticatorOptions> = {}) {
  const authenticator = createSoftAuthenticator({ origin: ORIGIN, ...options });
  const creation = await generateRegistrationOptions({
    rpName: "bearer-kit",
    rpID: RP_ID,
    userName: "ada@example.com",
    attestationType: "none",
    authenticatorSelection: { residentKey: "preferred", userVerification: "required" },
  });
  const response = await authenticator.create(creation);
  const verification = await verifyRegistrationResponse({ response, expectedChallenge: creation.challenge, ...expected });
  return { authenticator, creation, response, verification, credential: storedCredential(verification) };
}

function storedCredential(verification: VerifiedRegistrationResponse): WebAuthnCredential {
  if (!verification.registrationInfo) throw new Error("registration not verified");
  return verification.registrationInfo.credential;
}

async function signIn(
  authenticator: SoftAuthenticator,
  credential: WebAuthnCredential,
  overrides: Parameters<SoftAuthenticator["get"]>[1] = {},
) {
  const request = await generateAuthenticationOptions({ rpID: RP_ID, allowCredentials: [{ id: credential.id }] });
  const response = await authenticator.get(request, overrides);
  return verifyAuthenticationResponse({ response, expectedChallenge: request.challenge, credential, ...expected });
}

describe("createSoftAuthenticator: registration", () => {
  it("answers generateRegistrationOptions with a 'none' attestation the verifier accepts", async () => {
    const { authenticator, creation, response, verification } = await register();
    expect(verification.verified).toBe(true);
    const info = verification.registrationInfo;
    expect(info?.fmt).toBe("none");
    expect(info?.credential.id).toBe(response.id);
    expect(info?.credential.counter).toBe(0);
    expect(info?.userVerified).toBe(true);
    expect(info?.credentialDeviceType).toBe("singleDevice");
    expect(info?.credentialBackedUp).toBe(false);
    expect(authenticator.credentials).toEqual([{ id: response.id, rpId: RP_ID, userHandle: creation.user.id, counter: 0 }]);
  });

  it("makes a synced passkey (BE and BS flags) when backupEligible", async () => {
    const { verification } = await register({ backupEligible: true });
    expect(verification.registrationInfo?.credentialDeviceType).toBe("multiDevice");
    expect(verification.registrationInfo?.credentialBackedUp).toBe(true);
  });

  it("refuses to create a second credential when excludeCredentials names one it holds", async () => {
    const { authenticator, credential } = await register();
    const again = await generateRegistrationOptions({
      rpName: "bearer-kit",
      rpID: RP_ID,
      userName: "ada@example.com",
      excludeCredentials: [{ id: credential.id }],
    });
    await expect(authenticator.create(again)).rejects.toThrow(/InvalidStateError/);
    expect(authenticator.credentials).toHaveLength(1);
  });

  it("without user verification, fails a verifier that requires it", async () => {
    const authenticator = createSoftAuthenticator({ origin: ORIGIN, userVerification: false });
    const creation = await generateRegistrationOptions({ rpName: "bearer-kit", rpID: RP_ID, userName: "ada@example.com" });
    const response = await authenticator.create(creation);
    await expect(verifyRegistrationResponse({ response, expectedChallenge: creation.challenge, ...expected })).rejects.toThrow(
      /User verification/,
    );
  });

  it("a wrong origin or RP ID at registration fails verification", async () => {
    const authenticator = createSoftAuthenticator({ origin: ORIGIN });
    for (const overrides of [{ origin: "http://evil.example" }, { rpId: "evil.example" }]) {
      const creation = await generateRegistrationOptions({ rpName: "bearer-kit", rpID: RP_ID, userName: "ada@example.com" });
      const response = await authenticator.create(creation, overrides);
      await expect(verifyRegistrationResponse({ response, expectedChallenge: creation.challenge, ...expected })).rejects.toThrow(
        /origin|RP ID/,
      );
    }
  });
});

describe("createSoftAuthenticator: assertions", () => {
  it("signs assertions the verifier accepts, counting up from 1", async () => {
    const { authenticator, credential } = await register();
    const first = await signIn(authenticator, credential);
    expect(first.verified).toBe(true);
    expect(first.authenticationInfo.newCounter).toBe(1);
    expect(first.authenticationInfo.userVerified).toBe(true);
    const second = await signIn(authenticator, { ...credential, counter: first.authenticationInfo.newCounter });
    expect(second.authenticationInfo.newCounter).toBe(2);
    expect(authenticator.credentials[0]?.counter).toBe(2);
  });

  it("answers a usernameless request (empty allowCredentials) with a resident credential and its user handle", async () => {
    const { authenticator, creation, credential } = await register();
    const request = await generateAuthenticationOptions({ rpID: RP_ID });
    expect(request.allowCredentials ?? []).toEqual([]);
    const response = await authenticator.get(request);
    expect(response.id).toBe(credential.id);
    expect(response.response.userHandle).toBe(creation.user.id);
    const verification = await verifyAuthenticationResponse({ response, expectedChallenge: request.challenge, credential, ...expected });
    expect(verification.verified).toBe(true);
  });

  it("holds no credential for another RP ID", async () => {
    const { authenticator } = await register();
    const request = await generateAuthenticationOptions({ rpID: "other.example" });
    await expect(authenticator.get(request)).rejects.toThrow(/NotAllowedError/);
  });

  it("a wrong origin, RP ID or challenge fails verification", async () => {
    const { authenticator, credential } = await register();
    await expect(signIn(authenticator, credential, { origin: "http://evil.example" })).rejects.toThrow(/origin/);
    await expect(signIn(authenticator, credential, { rpId: "evil.example" })).rejects.toThrow(/RP ID/);
    await expect(signIn(authenticator, credential, { challenge: "bm90LWlzc3VlZA" })).rejects.toThrow(/challenge/);
  });

  it("a counter set backwards (a cloned authenticator) fails the verifier's counter check", async () => {
    const { authenticator, credential } = await register();
    const first = await signIn(authenticator, credential);
    const stored = { ...credential, counter: first.authenticationInfo.newCounter };
    authenticator.setCounter(credential.id, 0);
    await expect(signIn(authenticator, stored)).rejects.toThrow(/counter/);
    await expect(signIn(authenticator, stored, { counter: 1 })).rejects.toThrow(/counter/);
    await expect(signIn(authenticator, stored, { counter: 5 })).resolves.toMatchObject({ authenticationInfo: { newCounter: 5 } });
  });

  it("answers with credentialId even when allowCredentials names another (a foreign passkey)", async () => {
    const ada = await register();
    const grace = await register();
    const request = await generateAuthenticationOptions({ rpID: RP_ID, allowCredentials: [{ id: ada.credential.id }] });
    await expect(grace.authenticator.get(request)).rejects.toThrow(/NotAllowedError/);
    const foreign = await grace.authenticator.get(request, { credentialId: grace.credential.id });
    expect(foreign.id).toBe(grace.credential.id);
  });
});
