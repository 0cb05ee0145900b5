// A passkey as the second step after a password: offered in `methods`, bound to its mfaToken,
// and only ever the signing-in user's own passkey.
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { totpCode } from "../../src/second-factors/totp.ts";
import { codeOf } from "../codes.ts";
import { PASSWORD, useAuth } from "../fixture.ts";
import { useMail } from "../mail-fixture.ts";
import { CLIENT, enrolledAccount } from "../second-factors/two-factor-fixture.ts";
import { createSoftAuthenticator } from "../../src/testing/index.ts";
import { accountWithPasskey, ORIGIN } from "./passkey-fixture.ts";

const t = useAuth({ throttle: { registerMaxPerIp: 100_000 } });
const m = useMail(t, { appUrl: ORIGIN });

async function passwordStep(address: string): Promise<{ mfaToken: string; methods: readonly string[] }> {
  const step = await m.auth.signinOrChallenge({ email: address, password: PASSWORD }, CLIENT);
  if (!step.mfaRequired) throw new Error("expected a second step");
  return step;
}

describe("a passkey as the second step", () => {
  it("a password sign-in of an account with a passkey asks a second step: passkey, or the recovery codes it came with", async () => {
    const account = await accountWithPasskey(m);
    expect(account.recoveryCodes).toHaveLength(10);
    expect(await codeOf(m.auth.signin({ email: account.address, password: PASSWORD }, CLIENT))).toBe("MFA_REQUIRED");
    expect((await passwordStep(account.address)).methods).toEqual(["recovery_code", "passkey"]);
  });

  it("with TOTP and a passkey, methods are totp, recovery_code and passkey", async () => {
    const account = await enrolledAccount(t, m);
    const authenticator = createSoftAuthenticator({ origin: ORIGIN });
    t.clock.advance(30);
    const options = await m.auth.passkeyRegistrationOptions(account.current, { password: PASSWORD, code: totpCode(account.secret, t.clock.now()) }, CLIENT);
    const added = await m.auth.addPasskey(account.current, { response: await authenticator.create(options) });
    expect(added.recoveryCodes).toBeNull(); // TOTP's set stays
    expect((await passwordStep(account.address)).methods).toEqual(["totp", "recovery_code", "passkey"]);
  });

  it("the passkey answers the step: amr pwd, hwk, user, mfa", async () => {
    const account = await accountWithPasskey(m);
    const { mfaToken } = await passwordStep(account.address);
    const options = await m.auth.passkeySigninOptions({ mfaToken }, CLIENT);
    expect(options.allowCredentials).toEqual([expect.objectContaining({ id: account.passkey.id })]);
    const result = await m.auth.verifySecondFactor({ mfaToken, passkey: await account.authenticator.get(options) }, CLIENT);
    expect(result.session.amr).toEqual(["pwd", "hwk", "user", "mfa"]);
    expect(decodeJwt(result.accessToken).amr).toEqual(["pwd", "hwk", "user", "mfa"]);
    // The token is used up with its step.
    expect(await codeOf(m.auth.verifySecondFactor({ mfaToken, passkey: await account.authenticator.get(options) }, CLIENT))).toBe("MFA_TOKEN_INVALID");
  });

  it("refuses another user's passkey, even one answering a challenge of this step", async () => {
    const victim = await accountWithPasskey(m);
    const attacker = await accountWithPasskey(m);
    const { mfaToken } = await passwordStep(victim.address);
    const options = await m.auth.passkeySigninOptions({ mfaToken }, CLIENT);
    const foreign = await attacker.authenticator.get({ ...options, allowCredentials: [] });
    expect(await codeOf(m.auth.verifySecondFactor({ mfaToken, passkey: foreign }, CLIENT))).toBe("SECOND_FACTOR_INVALID");
    // The refusal counted against the token, which still takes the owner's passkey.
    const own = await victim.authenticator.get(await m.auth.passkeySigninOptions({ mfaToken }, CLIENT));
    expect((await m.auth.verifySecondFactor({ mfaToken, passkey: own }, CLIENT)).user.email).toBe(victim.address);
  });

  it("refuses a usernameless challenge, and one issued for another mfaToken of the same user", async () => {
    const account = await accountWithPasskey(m);
    const { mfaToken } = await passwordStep(account.address);
    const usernameless = await account.authenticator.get(await m.auth.passkeySigninOptions({}, CLIENT));
    expect(await codeOf(m.auth.verifySecondFactor({ mfaToken, passkey: usernameless }, CLIENT))).toBe("SECOND_FACTOR_INVALID");
    const other = await passwordStep(account.address);
    const otherOptions = await m.auth.passkeySigninOptions({ mfaToken: other.mfaToken }, CLIENT);
    expect(await codeOf(m.auth.verifySecondFactor({ mfaToken, passkey: await account.authenticator.get(otherOptions) }, CLIENT))).toBe(
      "SECOND_FACTOR_INVALID",
    );
  });

  it("options for an unknown or dead mfaToken answer MFA_TOKEN_INVALID", async () => {
    expect(await codeOf(m.auth.passkeySigninOptions({ mfaToken: `mfa_${"A".repeat(43)}` }, CLIENT))).toBe("MFA_TOKEN_INVALID");
    expect(await codeOf(m.auth.passkeySigninOptions({ mfaToken: "junk" }, CLIENT))).toBe("MFA_TOKEN_INVALID");
  });

  it("a credential change between the options and the answer voids the step (sign out everywhere lands mid-flow)", async () => {
    const account = await accountWithPasskey(m);
    const { mfaToken } = await passwordStep(account.address);
    const options = await m.auth.passkeySigninOptions({ mfaToken }, CLIENT);
    await m.auth.logout({ id: account.first.session.id, userId: account.current.user.id }, { everywhere: true });
    expect(await codeOf(m.auth.verifySecondFactor({ mfaToken, passkey: await account.authenticator.get(options) }, CLIENT))).toBe("MFA_TOKEN_INVALID");
  });
});
