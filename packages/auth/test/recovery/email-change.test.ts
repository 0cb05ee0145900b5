import { describe, expect, it } from "vitest";
import { codeOf } from "../codes.ts";
import { email, PASSWORD, useAuth } from "../fixture.ts";
import { useMail } from "../mail-fixture.ts";

const t = useAuth({ throttle: { registerMaxPerIp: 100_000 } });
const m = useMail(t);

async function twoDevices() {
  const address = email();
  const laptop = await m.auth.register({ email: address, password: PASSWORD, name: "Ann" });
  await m.smtp.take(address);
  const phone = await m.auth.signin({ email: address, password: PASSWORD });
  return { address, laptop, phone, current: { user: laptop.user, session: laptop.session } };
}

describe("account.changeEmail and the confirmation link", () => {
  it("changes the email only when the new address confirms; other sessions are signed out", async () => {
    const { address, laptop, phone, current } = await twoDevices();
    const next = email("next");
    await m.auth.changeEmail(current, { password: PASSWORD, newEmail: next.toUpperCase() });
    const confirm = await m.smtp.take(next);
    expect(confirm.subject).toBe("Confirm your new email address");
    expect(confirm.token).toMatch(/^verify_/);
    const notice = await m.smtp.take(address);
    expect(notice.subject).toBe("Your account's email is about to change");
    expect(notice.text).toContain(next);
    expect(await m.auth.checkBearerToken(laptop.accessToken)).toMatchObject({ email: address });

    const changed = await m.auth.verifyEmail({ token: confirm.token ?? "" }, { sessionId: laptop.session.id });
    expect(changed).toEqual({ status: "email_changed", email: next });
    expect(await m.auth.checkBearerToken(laptop.accessToken)).toMatchObject({ email: next, emailVerified: true });
    expect(await m.auth.checkBearerToken(phone.accessToken)).toBeNull();
    expect(await codeOf(m.auth.signin({ email: address, password: PASSWORD }))).toBe("INVALID_CREDENTIALS");
    await expect(m.auth.signin({ email: next, password: PASSWORD })).resolves.toBeDefined();
    expect(await codeOf(m.auth.verifyEmail({ token: confirm.token ?? "" }))).toBe("LINK_USED");
  });

  it("re-authenticates, throttled like sign-in", async () => {
    const { current } = await twoDevices();
    const attempt = () => m.auth.changeEmail(current, { password: "wrong password", newEmail: email() }, { ipAddress: "192.0.2.9" });
    for (let i = 0; i < 5; i++) expect(await codeOf(attempt())).toBe("INVALID_CREDENTIALS");
    expect(await codeOf(attempt())).toBe("RATE_LIMITED");
  });

  it("refuses the current address, and a taken one when verification is not required", async () => {
    const { address, current } = await twoDevices();
    expect(await codeOf(m.auth.changeEmail(current, { password: PASSWORD, newEmail: address }))).toBe("INVALID_INPUT");
    const other = email("other");
    await m.auth.register({ email: other, password: PASSWORD, name: "Bo" });
    expect(await codeOf(m.auth.changeEmail(current, { password: PASSWORD, newEmail: other }))).toBe("EMAIL_TAKEN");
  });

  it("with verification required, answers a taken address like a free one and tells its owner", async () => {
    const auth = m.withOptions({ requireEmailVerification: true });
    const { address, current } = await twoDevices();
    const other = email("other");
    await m.auth.register({ email: other, password: PASSWORD, name: "Bo" });
    await m.smtp.take(other);
    await expect(auth.changeEmail(current, { password: PASSWORD, newEmail: other })).resolves.toBeUndefined();
    expect((await m.smtp.take(other)).token).toBeNull();
    await auth.idle();
    expect(m.smtp.pending(address)).toEqual([]);
  });

  it("refuses the link with EMAIL_TAKEN when the new address got an account meanwhile", async () => {
    const { address, current, laptop } = await twoDevices();
    const next = email("next");
    await m.auth.changeEmail(current, { password: PASSWORD, newEmail: next });
    const { token } = await m.smtp.take(next);
    await m.auth.register({ email: next, password: PASSWORD, name: "Quick" });
    expect(await codeOf(m.auth.verifyEmail({ token: token ?? "" }))).toBe("EMAIL_TAKEN");
    expect(await m.auth.checkBearerToken(laptop.accessToken)).toMatchObject({ email: address });
  });

  it("voids links mailed to the old address once the email changed (a credential change)", async () => {
    const { address, current } = await twoDevices();
    await m.auth.requestPasswordReset({ email: address });
    const reset = (await m.smtp.take(address)).token ?? "";
    const next = email("next");
    await m.auth.changeEmail(current, { password: PASSWORD, newEmail: next });
    await m.auth.verifyEmail({ token: (await m.smtp.take(next)).token ?? "" });
    expect(await codeOf(m.auth.resetPassword({ token: reset, password: "a brand new passphrase" }))).toBe("LINK_INVALID");
  });

  it("allows one change request a minute, and a newer one voids the older link", async () => {
    const { current } = await twoDevices();
    const first = email("first");
    await m.auth.changeEmail(current, { password: PASSWORD, newEmail: first });
    expect(await codeOf(m.auth.changeEmail(current, { password: PASSWORD, newEmail: email() }))).toBe("RATE_LIMITED");
    t.clock.advance(61);
    const second = email("second");
    await m.auth.changeEmail(current, { password: PASSWORD, newEmail: second });
    expect(await codeOf(m.auth.verifyEmail({ token: (await m.smtp.take(first)).token ?? "" }))).toBe("LINK_USED");
    await expect(m.auth.verifyEmail({ token: (await m.smtp.take(second)).token ?? "" })).resolves.toMatchObject({ email: second });
  });
});
