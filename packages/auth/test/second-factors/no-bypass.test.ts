// With TOTP on, no path opens a session or changes a credential on the password alone.
import { eq } from "drizzle-orm";
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { users } from "../../src/database/schema.ts";
import { codeOf } from "../codes.ts";
import { email, PASSWORD, useAuth } from "../fixture.ts";
import { useMail } from "../mail-fixture.ts";
import { CLIENT, enrolledAccount, nextCode } from "./two-factor-fixture.ts";

const t = useAuth({ throttle: { registerMaxPerIp: 100_000 } });
const m = useMail(t);
const NEW_PASSWORD = "a brand new passphrase";

async function resetLink(address: string): Promise<string> {
  await m.auth.requestPasswordReset({ email: address });
  return (await m.smtp.take(address)).token ?? "";
}

describe("password reset with TOTP on", () => {
  it("changes the password and revokes every session, then asks for the second step", async () => {
    const account = await enrolledAccount(t, m);
    const step = await m.auth.resetPasswordOrChallenge({ token: await resetLink(account.address), password: NEW_PASSWORD }, CLIENT);
    if (!step.mfaRequired) throw new Error("expected a second step");
    expect(step.methods).toEqual(["totp", "recovery_code"]);
    expect(await m.auth.checkBearerToken(account.first.accessToken)).toBeNull();
    expect(await codeOf(m.auth.refresh(account.first.refreshToken))).toBe("SESSION_REVOKED");
    expect(await m.auth.listSessions(account.current.user.id)).toEqual([]);

    const result = await m.auth.verifySecondFactor({ mfaToken: step.mfaToken, code: nextCode(t, account.secret) }, CLIENT);
    expect(decodeJwt(result.accessToken).amr).toEqual(["pwd", "otp", "mfa"]);
    // The new password is the password now.
    expect((await m.auth.signinOrChallenge({ email: account.address, password: NEW_PASSWORD }, CLIENT)).mfaRequired).toBe(true);
  });

  it("resetPassword (the one-step form) refuses with MFA_REQUIRED and changes nothing; the link still works", async () => {
    const account = await enrolledAccount(t, m);
    const token = await resetLink(account.address);
    expect(await codeOf(m.auth.resetPassword({ token, password: NEW_PASSWORD }, CLIENT))).toBe("MFA_REQUIRED");
    expect(await m.auth.checkBearerToken(account.first.accessToken)).not.toBeNull();
    const step = await m.auth.resetPasswordOrChallenge({ token, password: NEW_PASSWORD }, CLIENT);
    expect(step.mfaRequired).toBe(true);
  });

  it("without TOTP, answers a session as before", async () => {
    const address = email("plain");
    await m.auth.register({ email: address, password: PASSWORD, name: "Ann" });
    await m.smtp.take(address);
    const step = await m.auth.resetPasswordOrChallenge({ token: await resetLink(address), password: NEW_PASSWORD }, CLIENT);
    if (step.mfaRequired) throw new Error("expected a session");
    expect(decodeJwt(step.result.accessToken).amr).toEqual(["pwd"]);
  });
});

describe("sensitive changes with TOTP on need a code besides the password", () => {
  it("changePassword", async () => {
    const account = await enrolledAccount(t, m);
    const input = { currentPassword: PASSWORD, newPassword: NEW_PASSWORD };
    expect(await codeOf(m.auth.changePassword(account.current, input, CLIENT))).toBe("SECOND_FACTOR_INVALID");
    expect(await codeOf(m.auth.changePassword(account.current, { ...input, code: "000000" }, CLIENT))).toBe("SECOND_FACTOR_INVALID");
    await m.auth.changePassword(account.current, { ...input, code: nextCode(t, account.secret) }, CLIENT);
    expect(await codeOf(m.auth.signinOrChallenge({ email: account.address, password: PASSWORD }, CLIENT))).toBe("INVALID_CREDENTIALS");
  });

  it("changeEmail", async () => {
    const account = await enrolledAccount(t, m);
    const newEmail = email("new");
    expect(await codeOf(m.auth.changeEmail(account.current, { password: PASSWORD, newEmail }, CLIENT))).toBe("SECOND_FACTOR_INVALID");
    expect(await codeOf(m.auth.changeEmail(account.current, { password: PASSWORD, newEmail, code: "123" }, CLIENT))).toBe("SECOND_FACTOR_INVALID");
    expect(m.smtp.pending(newEmail)).toEqual([]);
    await m.auth.changeEmail(account.current, { password: PASSWORD, newEmail, code: account.recoveryCodes[0] ?? "" }, CLIENT);
    expect((await m.smtp.take(newEmail)).subject).toBe("Confirm your new email address");
    // A recovery code was used: the owner hears it, with the count left.
    const notices = [await m.smtp.take(account.address), await m.smtp.take(account.address)].map((mail) => mail.subject).sort();
    expect(notices).toEqual(["A recovery code was used", "Your account's email is about to change"]);
  });

  it("deleteUser", async () => {
    const account = await enrolledAccount(t, m);
    expect(await codeOf(m.auth.deleteUser(account.current, { password: PASSWORD }, CLIENT))).toBe("SECOND_FACTOR_INVALID");
    expect(await t.database.db.select().from(users).where(eq(users.id, account.current.user.id))).toHaveLength(1);
    await m.auth.deleteUser(account.current, { password: PASSWORD, code: nextCode(t, account.secret) }, CLIENT);
    expect(await t.database.db.select().from(users).where(eq(users.id, account.current.user.id))).toHaveLength(0);
  });

  it("a code is not needed while TOTP is off", async () => {
    const address = email("plain");
    const first = await m.auth.register({ email: address, password: PASSWORD, name: "Ann" });
    await m.smtp.take(address);
    await m.auth.changePassword({ user: first.user, session: first.session }, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }, CLIENT);
  });
});
