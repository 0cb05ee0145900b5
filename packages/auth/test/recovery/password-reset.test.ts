import { describe, expect, it } from "vitest";
import { AuthError } from "../../src/errors.ts";
import { codeOf } from "../codes.ts";
import { email, PASSWORD, useAuth } from "../fixture.ts";
import { APP_URL, useMail } from "../mail-fixture.ts";

const t = useAuth({ throttle: { registerMaxPerIp: 100_000 } });
const m = useMail(t);
const NEW_PASSWORD = "a brand new passphrase";

async function account() {
  const address = email();
  const phone = await m.auth.register({ email: address, password: PASSWORD, name: "Ann" });
  await m.smtp.take(address); // the verification mail
  return { address, phone };
}

/** Requests a reset and returns the token from the mail the SMTP server received. */
async function resetToken(address: string, client = {}): Promise<string> {
  await m.auth.requestPasswordReset({ email: address }, client);
  const mail = await m.smtp.take(address);
  expect(mail.subject).toBe("Reset your password");
  expect(mail.token).toMatch(/^reset_/);
  return mail.token ?? "";
}

describe("auth.requestPasswordReset and auth.resetPassword", () => {
  it("mails a working link; the reset signs every session out and this device in", async () => {
    const { address, phone } = await account();
    await m.auth.requestPasswordReset({ email: `  ${address.toUpperCase()} ` });
    const mail = await m.smtp.take(address);
    expect(mail.to).toEqual([address]);
    expect(mail.subject).toBe("Reset your password");
    expect(mail.links[0]).toMatch(new RegExp(`^${APP_URL}/reset-password#token=reset_[A-Za-z0-9_-]{43}$`));
    expect(mail.html).toContain(`href="${mail.links[0]}"`);

    const reset = await m.auth.resetPassword({ token: mail.token ?? "", password: NEW_PASSWORD }, { ipAddress: "192.0.2.7" });
    expect(reset.user.email).toBe(address);
    expect(reset.user.emailVerified).toBe(true); // the link proved the inbox
    expect(reset.session.ipAddress).toBe("192.0.2.7");
    expect(await m.auth.checkBearerToken(reset.accessToken)).toMatchObject({ email: address });
    expect(await m.auth.checkBearerToken(phone.accessToken)).toBeNull();
    expect(await codeOf(m.auth.refresh(phone.refreshToken))).toBe("SESSION_REVOKED");
    expect(await codeOf(m.auth.signin({ email: address, password: PASSWORD }))).toBe("INVALID_CREDENTIALS");
    await expect(m.auth.signin({ email: address, password: NEW_PASSWORD })).resolves.toBeDefined();
  });

  it("answers an unknown address exactly like a known one, and mails nobody", async () => {
    const { address } = await account();
    const unknown = email("nobody");
    const known = await m.auth.requestPasswordReset({ email: address });
    const missing = await m.auth.requestPasswordReset({ email: unknown });
    expect(missing).toEqual(known);
    await m.auth.idle();
    expect(m.smtp.pending(unknown)).toEqual([]);
    expect(m.smtp.pending(address)).toHaveLength(1);
  });

  it("answers before the account's work starts: a mail server that never answers holds nothing up", async () => {
    const { address } = await account();
    const sent: string[] = [];
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const auth = m.withOptions({
      mailer: {
        send: async (mail) => {
          sent.push(mail.to);
          await held; // a mail server that never answers
        },
      },
    });
    await auth.requestPasswordReset({ email: address });
    // Checked before anything else can run: the look-up, token and send come after the answer.
    expect(sent).toEqual([]);
    await expect.poll(() => sent).toEqual([address]);
    // The send is still hanging, and another request is answered meanwhile.
    await expect(auth.requestPasswordReset({ email: email("other") })).resolves.toBeUndefined();
    release();
    await auth.idle();
    expect(sent).toEqual([address]);
  });

  it("limits requests to one a minute per address, known or not, and per client address", async () => {
    const { address } = await account();
    for (const target of [address, email("nobody")]) {
      await m.auth.requestPasswordReset({ email: target });
      const error = await m.auth.requestPasswordReset({ email: target }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthError);
      expect(error).toMatchObject({ code: "RATE_LIMITED", retryAfter: 60 });
    }
    t.clock.advance(61);
    await expect(m.auth.requestPasswordReset({ email: address })).resolves.toBeUndefined();

    const ipAddress = "198.51.100.20";
    for (let i = 0; i < 20; i++) await m.auth.requestPasswordReset({ email: email("spray") }, { ipAddress });
    expect(await codeOf(m.auth.requestPasswordReset({ email: email("spray") }, { ipAddress }))).toBe("RATE_LIMITED");
  });

  it("refuses an expired link with LINK_EXPIRED (30 minutes by default)", async () => {
    const { address } = await account();
    const token = await resetToken(address);
    t.clock.advance(30 * 60 + 1);
    expect(await codeOf(m.auth.resetPassword({ token, password: NEW_PASSWORD }))).toBe("LINK_EXPIRED");
  });

  it("honours resetTtl", async () => {
    const { address } = await account();
    const auth = m.withOptions({ resetTtl: "10m" });
    await auth.requestPasswordReset({ email: address });
    const token = (await m.smtp.take(address)).token ?? "";
    t.clock.advance(9 * 60);
    await expect(auth.resetPassword({ token, password: NEW_PASSWORD })).resolves.toBeDefined();
  });

  it("is single use (LINK_USED), and a newer link voids the older one", async () => {
    const { address } = await account();
    const first = await resetToken(address);
    t.clock.advance(61);
    const second = await resetToken(address);
    expect(await codeOf(m.auth.resetPassword({ token: first, password: NEW_PASSWORD }))).toBe("LINK_USED");
    await m.auth.resetPassword({ token: second, password: NEW_PASSWORD });
    expect(await codeOf(m.auth.resetPassword({ token: second, password: "yet another passphrase" }))).toBe("LINK_USED");
  });

  it("gives exactly one success to 20 concurrent uses of one token", async () => {
    const { address } = await account();
    const token = await resetToken(address);
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => codeOf(m.auth.resetPassword({ token, password: `${NEW_PASSWORD} ${i}` }))),
    );
    expect(outcomes.filter((code) => code === undefined)).toHaveLength(1);
    expect(outcomes.filter((code) => code === "LINK_USED")).toHaveLength(19);
  });

  it("checks the password policy, and a refused password leaves the link usable", async () => {
    const { address } = await account();
    const token = await resetToken(address);
    expect(await codeOf(m.auth.resetPassword({ token, password: "short" }))).toBe("WEAK_PASSWORD");
    await expect(m.auth.resetPassword({ token, password: NEW_PASSWORD })).resolves.toBeDefined();
  });

  it("accepts a reset token as nothing else, and nothing else as a reset token", async () => {
    const { address, phone } = await account();
    await m.auth.resendVerification({ user: phone.user, session: phone.session });
    const verify = (await m.smtp.take(address)).token ?? "";
    const reset = await resetToken(address);

    expect(await codeOf(m.auth.verifyEmail({ token: reset }))).toBe("LINK_INVALID");
    expect(await codeOf(m.auth.refresh(reset))).toBe("TOKEN_INVALID");
    expect(await m.auth.checkBearerToken(reset)).toBeNull();
    for (const other of [verify, phone.refreshToken, phone.accessToken, "", "reset_", `reset_${"A".repeat(43)}`, reset.slice(0, -1)]) {
      expect(await codeOf(m.auth.resetPassword({ token: other, password: NEW_PASSWORD })), other).toBe("LINK_INVALID");
    }
    // The failed attempts used nothing up.
    await expect(m.auth.resetPassword({ token: reset, password: NEW_PASSWORD })).resolves.toBeDefined();
  });

  it("logs a failed send and answers as usual", async () => {
    const { address } = await account();
    m.smtp.failing = true;
    await expect(m.auth.requestPasswordReset({ email: address })).resolves.toBeUndefined();
    await m.auth.idle();
    expect(m.warnings).toEqual([expect.stringMatching(/could not send "Reset your password"/)]);
  });
});
