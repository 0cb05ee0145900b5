// Every security event type is written once, by the change it records, in that change's
// transaction: a change that fails after its write leaves no event, and an event that cannot be
// written takes its change down with it.
import { describe, expect, it } from "vitest";
import { codeOf } from "../codes.ts";
import { email, PASSWORD, useAuth } from "../fixture.ts";
import { useMail } from "../mail-fixture.ts";
import { accountWithPasskey, ORIGIN } from "../passkeys/passkey-fixture.ts";
import { CLIENT, enrolledAccount, nextCode } from "../second-factors/two-factor-fixture.ts";
import { eventsOf, failInserts, typesOf } from "./events-fixture.ts";

const t = useAuth({ throttle: { registerMaxPerIp: 100_000 } });
const m = useMail(t, { appUrl: ORIGIN });
const NEW_PASSWORD = "a brand new passphrase";
const DEVICE = "Other browser on other OS|203.0.113.0/24";

async function account() {
  const address = email("events");
  const first = await m.auth.register({ email: address, password: PASSWORD, name: "Ann" }, CLIENT);
  return { address, first, current: { user: first.user, session: first.session } };
}

/** Events of one transaction share its instant, and so their order in the log: compared as a set. */
function sameInstant(types: string[]): string[] {
  return [...types].sort();
}

/** The one event of `type`. */
function byType<T extends { type: string }>(events: T[], type: string): T | undefined {
  const found = events.filter((event) => event.type === type);
  expect(found).toHaveLength(1);
  return found[0];
}

async function resetToken(address: string): Promise<string> {
  await m.auth.requestPasswordReset({ email: address });
  for (;;) {
    const mail = await m.smtp.take(address);
    if (mail.subject === "Reset your password") return mail.token ?? "";
  }
}

describe("the events a change records", () => {
  it("registration: one signin, method register, never a new device", async () => {
    const { first } = await account();
    const [event, ...rest] = await eventsOf(t.database, first.user.id);
    expect(rest).toEqual([]);
    expect(event).toMatchObject({
      type: "signin",
      sessionId: first.session.id,
      ipAddress: CLIENT.ipAddress,
      userAgent: CLIENT.userAgent,
      detail: { method: "register", amr: ["pwd"], new_device: false, device: DEVICE },
    });
  });

  it("a password sign-in and a password change: one signin and one password_changed, with the other session's end", async () => {
    const { address, first } = await account();
    t.clock.advance(1); // each step its own instant: the log's order is by time
    const laptop = await m.auth.signin({ email: address, password: PASSWORD }, CLIENT);
    t.clock.advance(1);
    await m.auth.changePassword(laptop, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }, CLIENT);
    const events = await eventsOf(t.database, first.user.id);
    expect(events.map((event) => event.type)).toEqual(["signin", "signin", ...sameInstant(["session_revoked", "password_changed"])]);
    expect(events[1]?.detail).toMatchObject({ method: "password", amr: ["pwd"], new_device: false });
    expect(byType(events, "session_revoked")).toMatchObject({ sessionId: first.session.id, detail: { reason: "password_changed" } });
    expect(byType(events, "password_changed")).toMatchObject({ sessionId: laptop.session.id, ipAddress: CLIENT.ipAddress, userAgent: CLIENT.userAgent, detail: {} });
  });

  it("a password reset: one password_reset, the sessions' ends, and the reset's own signin", async () => {
    const { address, first } = await account();
    const token = await resetToken(address);
    t.clock.advance(1);
    const reset = await m.auth.resetPassword({ token, password: NEW_PASSWORD }, CLIENT);
    const events = await eventsOf(t.database, first.user.id);
    expect(events.map((event) => event.type)).toEqual(["signin", ...sameInstant(["session_revoked", "password_reset", "signin"])]);
    expect(byType(events, "password_reset")).toMatchObject({ ipAddress: CLIENT.ipAddress, sessionId: null });
    expect(events.filter((event) => event.type === "signin")[1]).toMatchObject({ sessionId: reset.session.id, detail: { method: "reset", new_device: false } });
  });

  it("an email change: one email_changed when the link is used, none when it is only asked for", async () => {
    const { first, current } = await account();
    await m.smtp.take(first.user.email); // the verification mail
    const newEmail = email("moved");
    await m.auth.changeEmail(current, { password: PASSWORD, newEmail }, CLIENT);
    expect(await typesOf(t.database, first.user.id)).toEqual(["signin"]);
    const link = await m.smtp.take(newEmail);
    t.clock.advance(1);
    await m.auth.verifyEmail({ token: link.token ?? "" }, { sessionId: first.session.id });
    expect(await typesOf(t.database, first.user.id)).toEqual(["signin", "email_changed"]);
  });

  it("a reused refresh token: one refresh_token_reused, and the session's end", async () => {
    const { first } = await account();
    await m.auth.refresh(first.refreshToken);
    t.clock.advance(60); // past the retry interval
    expect(await codeOf(m.auth.refresh(first.refreshToken))).toBe("REFRESH_REUSED");
    const events = await eventsOf(t.database, first.user.id);
    expect(events.map((event) => event.type)).toEqual(["signin", ...sameInstant(["session_revoked", "refresh_token_reused"])]);
    expect(byType(events, "session_revoked")?.detail).toEqual({ reason: "refresh_token_reused" });
    expect(byType(events, "refresh_token_reused")?.sessionId).toBe(first.session.id);
  });

  it("TOTP on, recovery codes replaced, TOTP off: one second_factor_changed each, with factor and change", async () => {
    const enrolled = await enrolledAccount(t, m);
    const { current, secret } = enrolled;
    await m.auth.regenerateRecoveryCodes(current, { password: PASSWORD, code: nextCode(t, secret) }, CLIENT);
    await m.auth.totpDisable(current, { password: PASSWORD, code: nextCode(t, secret) }, CLIENT);
    const changes = (await eventsOf(t.database, current.user.id)).filter((event) => event.type === "second_factor_changed");
    expect(changes.map((event) => event.detail)).toEqual([
      { factor: "totp", change: "create" },
      { factor: "recovery_codes", change: "update" },
      { factor: "totp", change: "delete" },
    ]);
    expect(changes.every((event) => event.sessionId === current.session.id)).toBe(true);
    expect(changes[2]).toMatchObject({ ipAddress: CLIENT.ipAddress, userAgent: CLIENT.userAgent });
  });

  it("the second step's signin says so, with the amr it proved", async () => {
    const enrolled = await enrolledAccount(t, m);
    const step = await m.auth.signinOrChallenge({ email: enrolled.address, password: PASSWORD }, CLIENT);
    if (!step.mfaRequired) throw new Error("expected a second step");
    const session = await m.auth.verifySecondFactor({ mfaToken: step.mfaToken, code: nextCode(t, enrolled.secret) }, CLIENT);
    const signins = (await eventsOf(t.database, enrolled.current.user.id)).filter((event) => event.type === "signin");
    expect(signins).toHaveLength(2); // the registration's and this one: the first step opened none
    expect(signins[1]).toMatchObject({ sessionId: session.session.id, detail: { method: "second_factor", amr: ["pwd", "otp", "mfa"] } });
  });

  it("a passkey added, used to sign in, and removed: create, a passkey signin, delete", async () => {
    const { current, authenticator, passkey } = await accountWithPasskey(m);
    t.clock.advance(1);
    const options = await m.auth.passkeySigninOptions({}, CLIENT);
    const signin = await m.auth.signinWithPasskey({ response: await authenticator.get(options) }, CLIENT);
    t.clock.advance(1);
    const confirm = await m.auth.passkeyConfirmOptions(current);
    await m.auth.removePasskey(current, { id: passkey.id, password: PASSWORD, passkey: await authenticator.get(confirm) }, CLIENT);
    const events = (await eventsOf(t.database, current.user.id)).filter((event) => event.type !== "session_revoked");
    expect(events.map((event) => [event.type, event.detail.method ?? event.detail.factor, event.detail.change ?? null])).toEqual([
      // Registration and the passkey share an instant (the fixture's): ordered by type there.
      ["second_factor_changed", "passkey", "create"],
      ["signin", "register", null],
      ["signin", "passkey", null],
      ["second_factor_changed", "passkey", "delete"],
    ]);
    expect(events[2]?.sessionId).toBe(signin.session.id);
  });

  it("a refused sign-in of a known account: one signin_throttled a minute, however many are refused", async () => {
    const strict = m.withOptions({ throttle: { registerMaxPerIp: 100_000, maxFailures: 2 } });
    const { address, first } = await account();
    for (let i = 0; i < 2; i++) expect(await codeOf(strict.signin({ email: address, password: "wrong password!" }, CLIENT))).toBe("INVALID_CREDENTIALS");
    for (let i = 0; i < 3; i++) expect(await codeOf(strict.signin({ email: address, password: PASSWORD }, CLIENT))).toBe("RATE_LIMITED");
    const throttled = (await eventsOf(t.database, first.user.id)).filter((event) => event.type === "signin_throttled");
    expect(throttled).toHaveLength(1);
    expect(throttled[0]).toMatchObject({ ipAddress: CLIENT.ipAddress, userAgent: CLIENT.userAgent, sessionId: null });
    expect(throttled[0]?.detail.retry_after).toBeGreaterThan(0);
    t.clock.advance(61);
    expect(await codeOf(strict.signin({ email: address, password: PASSWORD }, CLIENT))).toBe("RATE_LIMITED");
    expect((await typesOf(t.database, first.user.id)).filter((type) => type === "signin_throttled")).toHaveLength(2);
  });

  it("a deleted account: one account_deleted with nothing personal, and the older events kept without address, browser or device", async () => {
    const { first, current } = await account();
    t.clock.advance(1);
    await m.auth.deleteUser(current, { password: PASSWORD }, CLIENT);
    const events = await eventsOf(t.database, first.user.id);
    expect(events.map((event) => event.type)).toEqual(["signin", "account_deleted"]);
    expect(events[1]).toMatchObject({ ipAddress: null, userAgent: null, sessionId: null, detail: {} });
    expect(events[0]).toMatchObject({ ipAddress: null, userAgent: null, detail: { method: "register", amr: ["pwd"], new_device: false } });
    expect(events[0]?.detail).not.toHaveProperty("device");
  });
});

describe("one transaction with the change", () => {
  it("a password change whose event cannot be written changes nothing", async () => {
    const { address, first } = await account();
    const laptop = await m.auth.signin({ email: address, password: PASSWORD }, CLIENT);
    const undo = await failInserts(t.database, "security_events", "NEW.type = 'password_changed'");
    try {
      await expect(m.auth.changePassword(laptop, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }, CLIENT)).rejects.toThrow();
    } finally {
      await undo();
    }
    expect(await typesOf(t.database, first.user.id)).toEqual(["signin", "signin"]);
    expect(await m.auth.checkBearerToken(first.accessToken)).not.toBeNull(); // the other session was not ended
    await expect(m.auth.signin({ email: address, password: PASSWORD }, CLIENT)).resolves.toBeDefined();
  });

  it("a reset that fails after its event was written leaves no event, and the old password", async () => {
    const { address, first } = await account();
    const token = await resetToken(address);
    // The reset's own session is opened after the password_reset event: refusing it fails the reset there.
    const undo = await failInserts(t.database, "sessions", "true");
    try {
      await expect(m.auth.resetPassword({ token, password: NEW_PASSWORD }, CLIENT)).rejects.toThrow();
    } finally {
      await undo();
    }
    expect(await typesOf(t.database, first.user.id)).toEqual(["signin"]);
    await expect(m.auth.signin({ email: address, password: PASSWORD }, CLIENT)).resolves.toBeDefined();
  });

  it("a reuse whose event cannot be written ends no session", async () => {
    const { first } = await account();
    const rotated = await m.auth.refresh(first.refreshToken);
    t.clock.advance(60);
    const undo = await failInserts(t.database, "security_events", "NEW.type = 'refresh_token_reused'");
    try {
      await expect(m.auth.refresh(first.refreshToken)).rejects.toThrow();
    } finally {
      await undo();
    }
    expect(await typesOf(t.database, first.user.id)).toEqual(["signin"]); // and no session_revoked either
    await expect(m.auth.refresh(rotated.refreshToken)).resolves.toBeDefined();
  });
});
