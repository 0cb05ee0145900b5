// Turning TOTP on and off, recovery codes, and what each of those changes does to the account.
import { decodeJwt } from "jose";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { recoveryCodes, sessions, totpFactors, users } from "../../src/database/schema.ts";
import { totpCode } from "../../src/second-factors/totp.ts";
import { codeOf } from "../codes.ts";
import { email, PASSWORD, useAuth } from "../fixture.ts";
import { useMail } from "../mail-fixture.ts";
import { CLIENT, enrolledAccount, nextCode, signinWithCode } from "./two-factor-fixture.ts";

const t = useAuth({ throttle: { registerMaxPerIp: 100_000 } });
const m = useMail(t);

async function plainAccount() {
  const address = email("plain");
  const first = await m.auth.register({ email: address, password: PASSWORD, name: "Ann" }, CLIENT);
  await m.smtp.take(address);
  return { address, first, current: { user: first.user, session: first.session } };
}

describe("account.totpSetup", () => {
  it("answers a 160-bit base32 secret and an otpauth URI, and keeps it pending", async () => {
    const { address, current } = await plainAccount();
    const { secret, otpauthUrl } = await m.auth.totpSetup(current, { password: PASSWORD }, CLIENT);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const url = new URL(otpauthUrl);
    expect(url.protocol).toBe("otpauth:");
    expect(url.host).toBe("totp");
    expect(Object.fromEntries(url.searchParams)).toEqual({ issuer: "bearer-kit", secret, algorithm: "SHA1", digits: "6", period: "30" });
    expect(decodeURIComponent(url.pathname)).toBe(`/bearer-kit:${address}`);
    // Pending: sign-in still opens a session with the password alone.
    const step = await m.auth.signinOrChallenge({ email: address, password: PASSWORD }, CLIENT);
    expect(step.mfaRequired).toBe(false);
    expect(await m.auth.twoFactorStatus(current.user.id)).toEqual({ totp: false, recoveryCodesLeft: 0, passkeys: 0 });
  });

  it("needs the password, and a new setup replaces a pending one", async () => {
    const { current } = await plainAccount();
    expect(await codeOf(m.auth.totpSetup(current, { password: "not the password" }, CLIENT))).toBe("INVALID_CREDENTIALS");
    const first = await m.auth.totpSetup(current, { password: PASSWORD }, CLIENT);
    const second = await m.auth.totpSetup(current, { password: PASSWORD }, CLIENT);
    expect(second.secret).not.toBe(first.secret);
    expect(await codeOf(m.auth.totpEnable(current, { code: totpCode(first.secret, t.clock.now()) }))).toBe("SECOND_FACTOR_INVALID");
    await expect(m.auth.totpEnable(current, { code: totpCode(second.secret, t.clock.now()) })).resolves.toBeDefined();
  });

  it("is refused while TOTP is on: a password alone cannot move the second factor", async () => {
    const { current } = await enrolledAccount(t, m);
    expect(await codeOf(m.auth.totpSetup(current, { password: PASSWORD }, CLIENT))).toBe("INVALID_INPUT");
  });

  it("stores the secret as ciphertext bound to the user", async () => {
    const { current, secret } = await enrolledAccount(t, m);
    const [row] = await t.database.db.select().from(totpFactors).where(eq(totpFactors.userId, current.user.id));
    expect(row?.encryptedSecret).toMatch(/^v1\./);
    expect(row?.encryptedSecret).not.toContain(secret);
    const dump = JSON.stringify(await t.database.db.select().from(totpFactors));
    expect(dump).not.toContain(secret);
    expect(dump).not.toContain(secret.toLowerCase());
  });
});

describe("account.totpEnable", () => {
  it("confirms with a current code and returns 10 single-use recovery codes, stored hashed; the owner is mailed", async () => {
    const { address, current } = await plainAccount();
    const { secret } = await m.auth.totpSetup(current, { password: PASSWORD }, CLIENT);
    expect(await codeOf(m.auth.totpEnable(current, { code: "000000" }))).toBe("SECOND_FACTOR_INVALID");
    const { recoveryCodes: codes } = await m.auth.totpEnable(current, { code: totpCode(secret, t.clock.now()) });
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    const mail = await m.smtp.take(address);
    expect(mail.subject).toBe("Two-step verification is on");
    expect(await m.auth.twoFactorStatus(current.user.id)).toEqual({ totp: true, recoveryCodesLeft: 10, passkeys: 0 });
    const stored = JSON.stringify(await t.database.db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, current.user.id)));
    for (const code of codes) {
      expect(stored).not.toContain(code);
      expect(stored).not.toContain(code.replaceAll("-", ""));
    }
  });

  it("refuses without a pending setup", async () => {
    const { current } = await plainAccount();
    expect(await codeOf(m.auth.totpEnable(current, { code: "123456" }))).toBe("INVALID_INPUT");
  });

  it("is a credential change: a reset link mailed before dies, other sessions stay with their amr", async () => {
    const { address, first, current } = await plainAccount();
    const laptop = await m.auth.signin({ email: address, password: PASSWORD }, CLIENT);
    await m.auth.requestPasswordReset({ email: address });
    const link = (await m.smtp.take(address)).token ?? "";
    const { secret } = await m.auth.totpSetup(current, { password: PASSWORD }, CLIENT);
    await m.auth.totpEnable(current, { code: totpCode(secret, t.clock.now()) });

    expect(await codeOf(m.auth.resetPassword({ token: link, password: "a brand new passphrase" }))).toBe("LINK_INVALID");
    expect(await m.auth.checkBearerToken(laptop.accessToken)).toMatchObject({ email: address, amr: ["pwd"] });
    const refreshed = await m.auth.refresh(laptop.refreshToken);
    expect(decodeJwt(refreshed.accessToken).amr).toEqual(["pwd"]);
    expect(await m.auth.checkBearerToken(first.accessToken)).toMatchObject({ amr: ["pwd"] });
  });
});

describe("account.totpDisable", () => {
  it("needs the password and a TOTP code; the owner is mailed and sign-in is back to one step", async () => {
    const account = await enrolledAccount(t, m);
    const { current, address, secret } = account;
    expect(await codeOf(m.auth.totpDisable(current, { password: PASSWORD, code: "000000" }, CLIENT))).toBe("SECOND_FACTOR_INVALID");
    expect(await codeOf(m.auth.totpDisable(current, { password: "wrong password", code: nextCode(t, secret) }, CLIENT))).toBe(
      "INVALID_CREDENTIALS",
    );
    await m.auth.totpDisable(current, { password: PASSWORD, code: nextCode(t, secret) }, CLIENT);
    expect((await m.smtp.take(address)).subject).toBe("Two-step verification is off");
    expect(await m.auth.twoFactorStatus(current.user.id)).toEqual({ totp: false, recoveryCodesLeft: 0, passkeys: 0 });
    expect((await m.auth.signinOrChallenge({ email: address, password: PASSWORD }, CLIENT)).mfaRequired).toBe(false);
    expect(await t.database.db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, current.user.id))).toEqual([]);
  });

  it("takes a recovery code instead", async () => {
    const { current, address, recoveryCodes: codes } = await enrolledAccount(t, m);
    await m.auth.totpDisable(current, { password: PASSWORD, code: codes[0] ?? "" }, CLIENT);
    expect((await m.smtp.take(address)).subject).toBe("Two-step verification is off");
  });

  it("refuses when TOTP is off", async () => {
    const { current } = await plainAccount();
    expect(await codeOf(m.auth.totpDisable(current, { password: PASSWORD, code: "123456" }, CLIENT))).toBe("INVALID_INPUT");
  });

  it("kills a sign-in's pending second step", async () => {
    const account = await enrolledAccount(t, m);
    const step = await m.auth.signinOrChallenge({ email: account.address, password: PASSWORD }, CLIENT);
    if (!step.mfaRequired) throw new Error("expected a second step");
    await m.auth.totpDisable(account.current, { password: PASSWORD, code: nextCode(t, account.secret) }, CLIENT);
    expect(await codeOf(m.auth.verifySecondFactor({ mfaToken: step.mfaToken, recoveryCode: account.recoveryCodes[1] ?? "" }, CLIENT))).toBe(
      "MFA_TOKEN_INVALID",
    );
  });
});

describe("account.recoveryCodes (regenerateRecoveryCodes)", () => {
  it("replaces the set, the old one dying at once; the owner is mailed", async () => {
    const account = await enrolledAccount(t, m);
    const { current, address, secret, recoveryCodes: old } = account;
    const { recoveryCodes: fresh } = await m.auth.regenerateRecoveryCodes(current, { password: PASSWORD, code: nextCode(t, secret) }, CLIENT);
    expect(fresh).toHaveLength(10);
    expect(fresh.some((code) => old.includes(code))).toBe(false);
    expect((await m.smtp.take(address)).subject).toBe("Your recovery codes were replaced");

    const step = await m.auth.signinOrChallenge({ email: address, password: PASSWORD }, CLIENT);
    if (!step.mfaRequired) throw new Error("expected a second step");
    expect(await codeOf(m.auth.verifySecondFactor({ mfaToken: step.mfaToken, recoveryCode: old[0] ?? "" }, CLIENT))).toBe("SECOND_FACTOR_INVALID");
    await expect(m.auth.verifySecondFactor({ mfaToken: step.mfaToken, recoveryCode: fresh[0] ?? "" }, CLIENT)).resolves.toBeDefined();
  });

  it("needs a code", async () => {
    const { current } = await enrolledAccount(t, m);
    expect(await codeOf(m.auth.regenerateRecoveryCodes(current, { password: PASSWORD, code: "" }, CLIENT))).toBe("SECOND_FACTOR_INVALID");
  });
});

describe("the account's security state", () => {
  it("enable, disable and regenerate each raise the credential version and keep the live sessions", async () => {
    const account = await enrolledAccount(t, m);
    const version = async () =>
      (await t.database.db.select({ v: users.credentialVersion }).from(users).where(eq(users.id, account.current.user.id)))[0]?.v;
    const before = await version();
    const phone = await signinWithCode(t, account, m.auth);
    await m.auth.regenerateRecoveryCodes(account.current, { password: PASSWORD, code: nextCode(t, account.secret) }, CLIENT);
    expect(await version()).toBe((before ?? 0) + 1);
    await m.smtp.take(account.address);
    expect(await m.auth.checkBearerToken(phone.accessToken)).toMatchObject({ amr: ["pwd", "otp", "mfa"] });
    expect(await m.auth.checkBearerToken(account.first.accessToken)).toMatchObject({ amr: ["pwd"] });
    const live = await t.database.db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, account.current.user.id));
    expect(live.length).toBeGreaterThanOrEqual(2);
  });
});
