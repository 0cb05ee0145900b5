// One security state per account: after a credential change commits, nothing issued before it
// works (sessions, refresh tokens, mailed links, a pending email change), whichever flow issued it.
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { users } from "../src/database/schema.ts";
import { codeOf } from "./codes.ts";
import { email, PASSWORD, useAuth } from "./fixture.ts";
import { useMail } from "./mail-fixture.ts";

const t = useAuth({ throttle: { registerMaxPerIp: 100_000 } });
// Alerts off: these tests take the links' mails in order; the alerts have their own tests
// (security-events/alerts.test.ts).
const m = useMail(t, { alerts: { newDevice: false, credentialChanges: false } });
const NEW_PASSWORD = "a brand new passphrase";

/** The owner, signed in on a laptop, and an attacker who knows the password, signed in elsewhere. */
async function ownerAndAttacker() {
  const address = email("owner");
  const owner = await m.auth.register({ email: address, password: PASSWORD, name: "Ann" });
  await m.smtp.take(address); // the verification mail
  const attacker = await m.auth.signin({ email: address, password: PASSWORD }, { ipAddress: "203.0.113.66" });
  return { address, owner, attacker, current: { user: attacker.user, session: attacker.session } };
}

/** The attacker asks to move the account to its own address; returns the confirmation link's token. */
async function pendingEmailChange(current: Awaited<ReturnType<typeof ownerAndAttacker>>["current"], address: string) {
  const evil = email("attacker");
  await m.auth.changeEmail(current, { password: PASSWORD, newEmail: evil });
  const token = (await m.smtp.take(evil)).token ?? "";
  await m.smtp.take(address); // the "about to change" notice
  return { evil, token };
}

async function resetTokenFor(address: string): Promise<string> {
  await m.auth.requestPasswordReset({ email: address });
  return (await m.smtp.take(address)).token ?? "";
}

async function emailOf(userId: string): Promise<string | undefined> {
  const [row] = await t.database.db.select({ email: users.email }).from(users).where(eq(users.id, userId));
  return row?.email;
}

describe("a pending email change dies with any credential change (the takeover)", () => {
  it("after the owner resets the password", async () => {
    const { address, owner, current } = await ownerAndAttacker();
    const { token } = await pendingEmailChange(current, address);
    const reset = await m.auth.resetPassword({ token: await resetTokenFor(address), password: NEW_PASSWORD });

    expect(await codeOf(m.auth.verifyEmail({ token }))).toBe("LINK_INVALID");
    expect(await emailOf(owner.user.id)).toBe(address);
    expect(await m.auth.checkBearerToken(reset.accessToken)).toMatchObject({ email: address });
    await expect(m.auth.refresh(reset.refreshToken)).resolves.toBeDefined();
  });

  it("after the owner changes the password", async () => {
    const { address, owner, current } = await ownerAndAttacker();
    const { token } = await pendingEmailChange(current, address);
    await m.auth.changePassword(owner, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });

    expect(await codeOf(m.auth.verifyEmail({ token }))).toBe("LINK_INVALID");
    expect(await emailOf(owner.user.id)).toBe(address);
    expect(await m.auth.checkBearerToken(owner.accessToken)).toMatchObject({ email: address });
  });

  it("after the owner signs out everywhere", async () => {
    const { address, owner, current } = await ownerAndAttacker();
    const { token } = await pendingEmailChange(current, address);
    await m.auth.logout(owner.session, { everywhere: true });

    expect(await codeOf(m.auth.verifyEmail({ token }))).toBe("LINK_INVALID");
    expect(await emailOf(owner.user.id)).toBe(address);
  });
});

describe("mailed links issued before a credential change", () => {
  it("an old reset link is refused after a password change", async () => {
    const { address, owner } = await ownerAndAttacker();
    const stolen = await resetTokenFor(address);
    await m.auth.changePassword(owner, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });

    expect(await codeOf(m.auth.resetPassword({ token: stolen, password: "the attacker's choice" }))).toBe("LINK_INVALID");
    await expect(m.auth.signin({ email: address, password: NEW_PASSWORD })).resolves.toBeDefined();
  });

  it("a verification link is refused after a password change; a new one works", async () => {
    const address = email();
    const created = await m.auth.register({ email: address, password: PASSWORD, name: "Ann" });
    const verify = (await m.smtp.take(address)).token ?? "";
    await m.auth.changePassword(created, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(await codeOf(m.auth.verifyEmail({ token: verify }))).toBe("LINK_INVALID");

    await m.auth.resendVerification(created);
    await expect(m.auth.verifyEmail({ token: (await m.smtp.take(address)).token ?? "" })).resolves.toMatchObject({ status: "verified" });
  });

  it("a credential version raised in SQL by an operator ends sessions, refresh tokens and links", async () => {
    const { address, owner } = await ownerAndAttacker();
    const link = await resetTokenFor(address);
    await t.database.db
      .update(users)
      .set({ credentialVersion: sql`${users.credentialVersion} + 1` })
      .where(eq(users.id, owner.user.id));

    expect(await codeOf(m.auth.verifyBearerToken(owner.accessToken))).toBe("SESSION_REVOKED");
    expect(await codeOf(m.auth.refresh(owner.refreshToken))).toBe("SESSION_REVOKED");
    expect(await codeOf(m.auth.resetPassword({ token: link, password: NEW_PASSWORD }))).toBe("LINK_INVALID");
  });
});

describe("an email change completes loudly", () => {
  it("mails the old address that the email changed, and to what", async () => {
    const { address, owner } = await ownerAndAttacker();
    const next = email("next");
    await m.auth.changeEmail(owner, { password: PASSWORD, newEmail: next });
    await m.smtp.take(address); // "about to change"
    await m.auth.verifyEmail({ token: (await m.smtp.take(next)).token ?? "" }, { sessionId: owner.session.id });

    const notice = await m.smtp.take(address);
    expect(notice.subject).toBe("Your account's email was changed");
    expect(notice.text).toContain(next);
    expect(notice.text).toContain("If you did not make this change");
    expect(await m.auth.checkBearerToken(owner.accessToken)).toMatchObject({ email: next });
  });
});
