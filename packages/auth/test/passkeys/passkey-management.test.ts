// The signed-in user's passkeys: registration options and what they need, adding, renaming and
// removing, and that each change moves the account's one security state.
import { describe, expect, it } from "vitest";
import { createSoftAuthenticator } from "../../src/testing/index.ts";
import { totpCode } from "../../src/second-factors/totp.ts";
import { codeOf } from "../codes.ts";
import { email, PASSWORD, useAuth } from "../fixture.ts";
import { useMail } from "../mail-fixture.ts";
import { CLIENT, enrolledAccount } from "../second-factors/two-factor-fixture.ts";
import { accountWithPasskey, ORIGIN, signinWithPasskey } from "./passkey-fixture.ts";

const t = useAuth({ throttle: { registerMaxPerIp: 100_000 } });
const m = useMail(t, { appUrl: ORIGIN });
const NEW_PASSWORD = "a brand new passphrase";

async function plainAccount() {
  const address = email("plain");
  const first = await m.auth.register({ email: address, password: PASSWORD, name: "Bo" }, CLIENT);
  await m.smtp.take(address);
  return { address, first, current: { user: first.user, session: first.session } };
}

async function resetLink(address: string): Promise<string> {
  await m.auth.requestPasswordReset({ email: address });
  return (await m.smtp.take(address)).token ?? "";
}

describe("passkeyRegistrationOptions", () => {
  it("checks the password, and asks user verification and a discoverable credential", async () => {
    const { current } = await plainAccount();
    expect(await codeOf(m.auth.passkeyRegistrationOptions(current, { password: "wrong password!" }, CLIENT))).toBe("INVALID_CREDENTIALS");
    const options = await m.auth.passkeyRegistrationOptions(current, { password: PASSWORD }, CLIENT);
    expect(options).toMatchObject({
      rp: { id: "localhost", name: "bearer-kit" },
      user: { name: current.user.email, displayName: "Bo" },
      attestation: "none",
      excludeCredentials: [],
      authenticatorSelection: { residentKey: "preferred", userVerification: "required" },
    });
    // The user handle is the account's id, nothing personal.
    expect(Buffer.from(options.user.id, "base64url").toString("hex")).toBe(current.user.id.replaceAll("-", ""));
  });

  it("with TOTP on, needs a code too", async () => {
    const account = await enrolledAccount(t, m);
    expect(await codeOf(m.auth.passkeyRegistrationOptions(account.current, { password: PASSWORD }, CLIENT))).toBe("SECOND_FACTOR_INVALID");
    expect(await codeOf(m.auth.passkeyRegistrationOptions(account.current, { password: PASSWORD, code: "000000" }, CLIENT))).toBe("SECOND_FACTOR_INVALID");
    t.clock.advance(30);
    const code = totpCode(account.secret, t.clock.now());
    expect((await m.auth.passkeyRegistrationOptions(account.current, { password: PASSWORD, code }, CLIENT)).challenge).toBeTruthy();
  });

  it("with a passkey already, needs a fresh second step: an assertion by it, or a recovery code; and excludes it", async () => {
    const account = await accountWithPasskey(m);
    expect(await codeOf(m.auth.passkeyRegistrationOptions(account.current, { password: PASSWORD }, CLIENT))).toBe("SECOND_FACTOR_INVALID");
    const confirm = await m.auth.passkeyConfirmOptions(account.current);
    const options = await m.auth.passkeyRegistrationOptions(account.current, { password: PASSWORD, passkey: await account.authenticator.get(confirm) }, CLIENT);
    expect(options.excludeCredentials).toEqual([expect.objectContaining({ id: account.passkey.id })]);
    // The authenticator that holds the passkey refuses to make a second one, as a browser does.
    await expect(account.authenticator.create(options)).rejects.toThrow();
    expect(
      (await m.auth.passkeyRegistrationOptions(account.current, { password: PASSWORD, code: account.recoveryCodes[0] }, CLIENT)).challenge,
    ).toBeTruthy();
  });

  it("a confirmation assertion is single-use and only by the user's own passkey", async () => {
    const account = await accountWithPasskey(m);
    const other = await accountWithPasskey(m);
    const confirm = await m.auth.passkeyConfirmOptions(account.current);
    const foreign = await other.authenticator.get({ ...confirm, allowCredentials: [] });
    expect(await codeOf(m.auth.passkeyRegistrationOptions(account.current, { password: PASSWORD, passkey: foreign }, CLIENT))).toBe("SECOND_FACTOR_INVALID");
    const own = await account.authenticator.get(await m.auth.passkeyConfirmOptions(account.current));
    await m.auth.passkeyRegistrationOptions(account.current, { password: PASSWORD, passkey: own }, CLIENT);
    expect(await codeOf(m.auth.passkeyRegistrationOptions(account.current, { password: PASSWORD, passkey: own }, CLIENT))).toBe("SECOND_FACTOR_INVALID");
  });
});

describe("addPasskey", () => {
  it("stores the passkey, returns 10 recovery codes for a first second factor, and mails the owner", async () => {
    const { current, address } = await plainAccount();
    const authenticator = createSoftAuthenticator({ origin: ORIGIN });
    const options = await m.auth.passkeyRegistrationOptions(current, { password: PASSWORD }, CLIENT);
    const added = await m.auth.addPasskey(current, { response: await authenticator.create(options), name: "  Work laptop " });
    expect(added.passkey).toEqual({ id: authenticator.credentials[0]?.id, name: "Work laptop", createdAt: t.clock.now(), lastUsedAt: null, synced: false });
    expect(added.recoveryCodes).toHaveLength(10);
    expect(await m.auth.passkeys(current.user.id)).toEqual([added.passkey]);
    expect(await m.auth.twoFactorStatus(current.user.id)).toEqual({ totp: false, recoveryCodesLeft: 10, passkeys: 1 });
    const mail = await m.smtp.take(address);
    expect(mail.subject).toBe("A passkey was added");
    expect(mail.text).toContain('"Work laptop"');
  });

  it("moves the security state: a reset link and a pending sign-in step die, the sessions stay", async () => {
    const account = await enrolledAccount(t, m);
    const link = await resetLink(account.address);
    const step = await m.auth.signinOrChallenge({ email: account.address, password: PASSWORD }, CLIENT);
    if (!step.mfaRequired) throw new Error("expected a second step");
    t.clock.advance(30);
    const options = await m.auth.passkeyRegistrationOptions(account.current, { password: PASSWORD, code: totpCode(account.secret, t.clock.now()) }, CLIENT);
    await m.auth.addPasskey(account.current, { response: await createSoftAuthenticator({ origin: ORIGIN }).create(options) });
    expect(await codeOf(m.auth.resetPassword({ token: link, password: NEW_PASSWORD }, CLIENT))).toBe("LINK_INVALID");
    t.clock.advance(30);
    expect(await codeOf(m.auth.verifySecondFactor({ mfaToken: step.mfaToken, code: totpCode(account.secret, t.clock.now()) }, CLIENT))).toBe(
      "MFA_TOKEN_INVALID",
    );
    expect(await m.auth.checkBearerToken(account.first.accessToken)).toMatchObject({ id: account.current.user.id });
  });

  it("options asked before a password reset cannot register a passkey after it", async () => {
    const { current, address } = await plainAccount();
    const options = await m.auth.passkeyRegistrationOptions(current, { password: PASSWORD }, CLIENT);
    await m.auth.resetPassword({ token: await resetLink(address), password: NEW_PASSWORD }, CLIENT);
    const response = await createSoftAuthenticator({ origin: ORIGIN }).create(options);
    expect(await codeOf(m.auth.addPasskey(current, { response }))).toBe("PASSKEY_REGISTRATION_FAILED");
    expect(await m.auth.passkeys(current.user.id)).toEqual([]);
  });

  it("refuses options used twice, another user's options, a wrong origin, and a credential already registered", async () => {
    const one = await plainAccount();
    const two = await plainAccount();
    const authenticator = createSoftAuthenticator({ origin: ORIGIN });
    const options = await m.auth.passkeyRegistrationOptions(one.current, { password: PASSWORD }, CLIENT);
    expect(await codeOf(m.auth.addPasskey(two.current, { response: await authenticator.create(options) }))).toBe("PASSKEY_REGISTRATION_FAILED");
    const fresh = await m.auth.passkeyRegistrationOptions(one.current, { password: PASSWORD }, CLIENT);
    expect(await codeOf(m.auth.addPasskey(one.current, { response: await authenticator.create(fresh, { origin: "https://evil.example" }) }))).toBe(
      "PASSKEY_REGISTRATION_FAILED",
    );
    const good = await m.auth.passkeyRegistrationOptions(one.current, { password: PASSWORD }, CLIENT);
    const response = await authenticator.create(good);
    await m.auth.addPasskey(one.current, { response });
    expect(await codeOf(m.auth.addPasskey(one.current, { response }))).toBe("PASSKEY_REGISTRATION_FAILED");
    expect(await m.auth.passkeys(two.current.user.id)).toEqual([]);
  });

  it("refuses a credential made without user verification", async () => {
    const { current } = await plainAccount();
    const options = await m.auth.passkeyRegistrationOptions(current, { password: PASSWORD }, CLIENT);
    const response = await createSoftAuthenticator({ origin: ORIGIN, userVerification: false }).create(options);
    expect(await codeOf(m.auth.addPasskey(current, { response }))).toBe("PASSKEY_REGISTRATION_FAILED");
  });
});

describe("renamePasskey and removePasskey", () => {
  it("renames the owner's passkey only", async () => {
    const account = await accountWithPasskey(m);
    const other = await plainAccount();
    expect(await m.auth.renamePasskey(account.current, { id: account.passkey.id, name: "Phone" })).toMatchObject({ name: "Phone" });
    expect(await codeOf(m.auth.renamePasskey(other.current, { id: account.passkey.id, name: "Mine" }))).toBe("NOT_FOUND");
    expect(await codeOf(m.auth.renamePasskey(account.current, { id: account.passkey.id, name: " " }))).toBe("INVALID_INPUT");
    expect((await m.auth.passkeys(account.current.user.id))[0]?.name).toBe("Phone");
  });

  it("removing the last passkey, the only second factor, needs the password; sign-in is one step again, the recovery codes go", async () => {
    const account = await accountWithPasskey(m);
    expect(await codeOf(m.auth.removePasskey(account.current, { id: account.passkey.id, password: "wrong password!" }, CLIENT))).toBe(
      "INVALID_CREDENTIALS",
    );
    await m.auth.removePasskey(account.current, { id: account.passkey.id, password: PASSWORD }, CLIENT);
    expect(await m.auth.passkeys(account.current.user.id)).toEqual([]);
    expect(await m.auth.twoFactorStatus(account.current.user.id)).toEqual({ totp: false, recoveryCodesLeft: 0, passkeys: 0 });
    expect((await m.auth.signin({ email: account.address, password: PASSWORD }, CLIENT)).session.amr).toEqual(["pwd"]);
    expect((await m.smtp.take(account.address)).subject).toBe("A passkey was removed");
    expect(await codeOf(m.auth.removePasskey(account.current, { id: account.passkey.id, password: PASSWORD }, CLIENT))).toBe("NOT_FOUND");
  });

  it("removing one of two passkeys needs a fresh second step, by either", async () => {
    const account = await accountWithPasskey(m);
    const second = createSoftAuthenticator({ origin: ORIGIN });
    const confirm = await m.auth.passkeyConfirmOptions(account.current);
    const options = await m.auth.passkeyRegistrationOptions(account.current, { password: PASSWORD, passkey: await account.authenticator.get(confirm) }, CLIENT);
    const added = await m.auth.addPasskey(account.current, { response: await second.create(options), name: "Key" });
    expect(await codeOf(m.auth.removePasskey(account.current, { id: account.passkey.id, password: PASSWORD }, CLIENT))).toBe("SECOND_FACTOR_INVALID");
    const proof = await second.get(await m.auth.passkeyConfirmOptions(account.current));
    await m.auth.removePasskey(account.current, { id: account.passkey.id, password: PASSWORD, passkey: proof }, CLIENT);
    expect((await m.auth.passkeys(account.current.user.id)).map((passkey) => passkey.id)).toEqual([added.passkey.id]);
    // The remaining passkey still needs the second step to go, and the codes stay while it is there.
    expect(await m.auth.twoFactorStatus(account.current.user.id)).toMatchObject({ passkeys: 1, recoveryCodesLeft: 10 });
  });
});

describe("recovery with passkeys", () => {
  it("a password reset keeps the passkeys and asks the passkey as its second step", async () => {
    const account = await accountWithPasskey(m);
    const step = await m.auth.resetPasswordOrChallenge({ token: await resetLink(account.address), password: NEW_PASSWORD }, CLIENT);
    if (!step.mfaRequired) throw new Error("expected a second step");
    expect(step.methods).toEqual(["recovery_code", "passkey"]);
    expect(await m.auth.passkeys(account.current.user.id)).toHaveLength(1);
    const options = await m.auth.passkeySigninOptions({ mfaToken: step.mfaToken }, CLIENT);
    const result = await m.auth.verifySecondFactor({ mfaToken: step.mfaToken, passkey: await account.authenticator.get(options) }, CLIENT);
    expect(result.session.amr).toEqual(["pwd", "hwk", "user", "mfa"]);
    // The passkey alone still signs in after the reset.
    expect((await signinWithPasskey(m.auth, account.authenticator)).user.email).toBe(account.address);
  });

  it("the one-step reset refuses with MFA_REQUIRED and changes nothing", async () => {
    const account = await accountWithPasskey(m);
    const token = await resetLink(account.address);
    expect(await codeOf(m.auth.resetPassword({ token, password: NEW_PASSWORD }, CLIENT))).toBe("MFA_REQUIRED");
    expect(await codeOf(m.auth.signin({ email: account.address, password: NEW_PASSWORD }, CLIENT))).toBe("INVALID_CREDENTIALS");
  });
});
