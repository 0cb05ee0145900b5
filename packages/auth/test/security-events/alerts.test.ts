// The owner's alerts: a sign-in from a new device (with its "This wasn't me" link), a reused
// refresh token, and password changes; each mailed off the request path, each with its switch.
import { describe, expect, it } from "vitest";
import { codeOf } from "../codes.ts";
import { email, PASSWORD, useAuth } from "../fixture.ts";
import { APP_URL, useMail } from "../mail-fixture.ts";
import { CLIENT } from "../second-factors/two-factor-fixture.ts";
import { eventsOf } from "./events-fixture.ts";

const t = useAuth({ throttle: { registerMaxPerIp: 100_000 } });
const m = useMail(t);
const NEW_PASSWORD = "a brand new passphrase";
const FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const ELSEWHERE = { ipAddress: "198.51.100.9", userAgent: FIREFOX };

async function account(auth = m.auth) {
  const address = email("alerts");
  const first = await auth.register({ email: address, password: PASSWORD, name: "Ann" }, CLIENT);
  await m.smtp.take(address); // the verification mail
  return { address, first };
}

async function newDeviceAlert(address: string) {
  const mail = await m.smtp.take(address);
  expect(mail.subject).toBe("New sign-in to your account");
  return mail;
}

describe("a sign-in from a new device", () => {
  it("is mailed with what, when, where and a one-click link; the same device again is not", async () => {
    const { address, first } = await account();
    t.clock.advance(1); // each step its own instant: the log's order is by time
    await m.auth.signin({ email: address, password: PASSWORD }, ELSEWHERE);
    const mail = await newDeviceAlert(address);
    expect(mail.text).toContain("Firefox on Windows");
    expect(mail.text).toContain("198.51.100.9");
    expect(mail.text).toContain(t.clock.now().toUTCString());
    expect(mail.links[0]).toMatch(new RegExp(`^${APP_URL}/not-me#token=notme_[A-Za-z0-9_-]{43}$`));

    // The same browser family from the same /24, a newer version: the same device.
    t.clock.advance(1);
    await m.auth.signin({ email: address, password: PASSWORD }, { ipAddress: "198.51.100.200", userAgent: FIREFOX.replace("133.0", "134.0") });
    t.clock.advance(1);
    await m.auth.signin({ email: address, password: PASSWORD }, CLIENT);
    await m.auth.idle();
    expect(m.smtp.pending(address)).toEqual([]);
    const signins = (await eventsOf(t.database, first.user.id)).filter((event) => event.type === "signin");
    expect(signins.map((event) => event.detail.new_device)).toEqual([false, true, false, false]);
    expect(signins[1]?.detail.device).toBe("Firefox on Windows|198.51.100.0/24");
  });

  it("another network or another browser is new; a device unseen for 90 days is new again", async () => {
    const { address } = await account();
    await m.auth.signin({ email: address, password: PASSWORD }, { ...CLIENT, ipAddress: "203.0.114.7" });
    await newDeviceAlert(address);
    await m.auth.signin({ email: address, password: PASSWORD }, { ...CLIENT, userAgent: FIREFOX });
    await newDeviceAlert(address);
    t.clock.advance(91 * 86_400);
    await m.auth.signin({ email: address, password: PASSWORD }, CLIENT);
    await newDeviceAlert(address);
  });

  it("never holds up or fails the sign-in: a mail server that refuses only shows as a warning", async () => {
    const { address } = await account();
    m.smtp.failing = true;
    await expect(m.auth.signin({ email: address, password: PASSWORD }, ELSEWHERE)).resolves.toBeDefined();
    await m.auth.idle();
    expect(m.warnings.some((warning) => warning.includes("New sign-in"))).toBe(true);
  });

  it("is not mailed with AUTH_ALERT_NEW_DEVICE off, and is still recorded as new", async () => {
    const quiet = m.withOptions({ alerts: { newDevice: false } });
    const { address, first } = await account(quiet);
    t.clock.advance(1);
    await quiet.signin({ email: address, password: PASSWORD }, ELSEWHERE);
    await quiet.idle();
    expect(m.smtp.pending(address)).toEqual([]);
    expect((await eventsOf(t.database, first.user.id)).at(-1)?.detail.new_device).toBe(true);
  });
});

describe("auth.reportUnrecognizedSignin (the \"This wasn't me\" link)", () => {
  it("signs out everywhere, answers a working reset token, and works once", async () => {
    const { address, first } = await account();
    const intruder = await m.auth.signin({ email: address, password: PASSWORD }, ELSEWHERE);
    const token = (await newDeviceAlert(address)).token ?? "";

    const { resetToken } = await m.auth.reportUnrecognizedSignin({ token });
    expect(resetToken).toMatch(/^reset_/);
    expect(await m.auth.checkBearerToken(first.accessToken)).toBeNull();
    expect(await m.auth.checkBearerToken(intruder.accessToken)).toBeNull();
    expect(await codeOf(m.auth.refresh(intruder.refreshToken))).toBe("SESSION_REVOKED");
    const ends = (await eventsOf(t.database, first.user.id)).filter((event) => event.type === "session_revoked");
    expect(ends.map((event) => event.detail.reason)).toEqual(["reported_by_owner", "reported_by_owner"]);

    expect(await codeOf(m.auth.reportUnrecognizedSignin({ token }))).toBe("LINK_USED");
    const reset = await m.auth.resetPassword({ token: resetToken, password: NEW_PASSWORD }, CLIENT);
    expect(await m.auth.checkBearerToken(reset.accessToken)).not.toBeNull();
    expect(await codeOf(m.auth.signin({ email: address, password: PASSWORD }, ELSEWHERE))).toBe("INVALID_CREDENTIALS");
  });

  it("lives 24 hours, dies with any credential change, and refuses junk like every link", async () => {
    const { address, first } = await account();
    await m.auth.signin({ email: address, password: PASSWORD }, ELSEWHERE);
    const expiring = (await newDeviceAlert(address)).token ?? "";
    t.clock.advance(86_400 + 1);
    expect(await codeOf(m.auth.reportUnrecognizedSignin({ token: expiring }))).toBe("LINK_EXPIRED");

    await m.auth.signin({ email: address, password: PASSWORD }, { ...ELSEWHERE, ipAddress: "192.0.2.50" });
    const voided = (await newDeviceAlert(address)).token ?? "";
    await m.auth.logout(first.session, { everywhere: true });
    expect(await codeOf(m.auth.reportUnrecognizedSignin({ token: voided }))).toBe("LINK_INVALID");

    expect(await codeOf(m.auth.reportUnrecognizedSignin({ token: "notme_nope" }))).toBe("LINK_INVALID");
    expect(await codeOf(m.auth.reportUnrecognizedSignin({ token: `reset_${"a".repeat(43)}` }))).toBe("LINK_INVALID");
  });
});

describe("the other alerts", () => {
  it("a reused refresh token: the owner hears that the session was ended", async () => {
    const { address, first } = await account();
    await m.auth.refresh(first.refreshToken);
    t.clock.advance(60);
    expect(await codeOf(m.auth.refresh(first.refreshToken))).toBe("REFRESH_REUSED");
    const mail = await m.smtp.take(address);
    expect(mail.subject).toBe("We ended a session as a precaution");
    expect(mail.text).toContain("203.0.113.7");
  });

  it("a password change and a password reset are mailed", async () => {
    const { address, first } = await account();
    await m.auth.changePassword(first, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }, CLIENT);
    expect((await m.smtp.take(address)).subject).toBe("Your password was changed");
    await m.auth.requestPasswordReset({ email: address });
    const link = await m.smtp.take(address);
    await m.auth.resetPassword({ token: link.token ?? "", password: PASSWORD }, CLIENT);
    expect((await m.smtp.take(address)).subject).toBe("Your password was reset");
  });

  it("each has its switch", async () => {
    const quiet = m.withOptions({ alerts: { refreshTokenReused: false, credentialChanges: false } });
    const { address, first } = await account(quiet);
    await quiet.refresh(first.refreshToken);
    t.clock.advance(60);
    expect(await codeOf(quiet.refresh(first.refreshToken))).toBe("REFRESH_REUSED");
    const again = await quiet.signin({ email: address, password: PASSWORD }, CLIENT);
    await quiet.changePassword(again, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }, CLIENT);
    await quiet.idle();
    expect(m.smtp.pending(address)).toEqual([]);
  });
});
