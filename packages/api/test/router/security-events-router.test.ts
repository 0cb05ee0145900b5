// account.securityEvents through the router: the caller's own log, ISO dates, paging and its
// errors; and auth.reportUnrecognizedSignin, public, answering the reset token.
import { createSmtpMailer, type Mailer } from "@bearer-kit/auth";
import { startTestSMTPServer, type TestSMTPServer } from "@bearer-kit/auth/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorOf } from "../error-of.ts";
import { email, PASSWORD, signedIn, signedUp, useApi } from "../fixture.ts";

let smtp: TestSMTPServer;
let smtpMailer: Mailer | undefined;
// Bound once the server has a port; the fixture's options are fixed before that.
const mailer: Mailer = {
  send: async (mail) => {
    if (!smtpMailer) throw new Error("no SMTP server yet");
    await smtpMailer.send(mail);
  },
};
const t = useApi({ mailer, appUrl: "http://app.test" });

beforeAll(async () => {
  smtp = await startTestSMTPServer();
  smtpMailer = createSmtpMailer({ url: smtp.url, from: "bearer-kit <no-reply@localhost>" });
});
afterAll(() => smtp.close());

async function registered() {
  const address = email("events");
  const payload = signedUp(await t.call().caller.auth.register({ email: address, password: PASSWORD, name: "Ann" }));
  await smtp.take(address); // the verification mail
  return { address, payload };
}

describe("account.securityEvents", () => {
  it("lists the caller's own events newest first, with ISO dates and the request's address and browser", async () => {
    const { address, payload } = await registered();
    t.clock.advance(1);
    const again = signedIn(await t.call().caller.auth.signin({ email: address, password: PASSWORD }));
    await registered(); // someone else's events stay theirs
    const { events, nextCursor } = await t.call({ token: again.accessToken }).caller.account.securityEvents();
    expect(nextCursor).toBeNull();
    expect(events.map((event) => event.type)).toEqual(["signin", "signin"]);
    expect(events[0]).toMatchObject({
      sessionId: (await t.auth.verifyBearerToken(again.accessToken)).session.id,
      createdAt: t.clock.now().toISOString(),
      ipAddress: "203.0.113.9",
      userAgent: "vitest",
      detail: { method: "password", new_device: false },
    });
    expect(events[1]).toMatchObject({ sessionId: (await t.auth.verifyBearerToken(payload.accessToken)).session.id, detail: { method: "register" } });
  });

  it("pages with the opaque cursor, and refuses a bad one or a bad limit as BAD_REQUEST", async () => {
    const { address, payload } = await registered();
    for (let i = 0; i < 2; i++) {
      t.clock.advance(1);
      await t.call().caller.auth.signin({ email: address, password: PASSWORD });
    }
    const { caller } = t.call({ token: payload.accessToken });
    const first = await caller.account.securityEvents({ limit: 2 });
    expect(first.events).toHaveLength(2);
    const rest = await caller.account.securityEvents({ limit: 2, cursor: first.nextCursor });
    expect(rest.events.map((event) => event.detail.method)).toEqual(["register"]);
    expect(rest.nextCursor).toBeNull();

    expect(await errorOf(caller.account.securityEvents({ cursor: "junk" }))).toMatchObject({ httpStatus: 400, authCode: "INVALID_INPUT" });
    expect(await errorOf(caller.account.securityEvents({ limit: 101 }))).toMatchObject({ httpStatus: 400 });
  });

  it("needs a signed-in caller", async () => {
    expect(await errorOf(t.call().caller.account.securityEvents())).toMatchObject({ httpStatus: 401 });
  });
});

describe("auth.reportUnrecognizedSignin", () => {
  it("uses the alert's link once, signs out everywhere and answers the reset token", async () => {
    const { address, payload } = await registered();
    await t.call({ headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0" }, clientAddress: "198.51.100.4" }).caller.auth.signin({
      email: address,
      password: PASSWORD,
    });
    const alert = await smtp.take(address);
    expect(alert.subject).toBe("New sign-in to your account");
    const { resetToken } = await t.call().caller.auth.reportUnrecognizedSignin({ token: alert.token ?? "" });
    expect(resetToken).toMatch(/^reset_/);
    expect(await t.auth.checkBearerToken(payload.accessToken)).toBeNull();
    expect(await errorOf(t.call().caller.auth.reportUnrecognizedSignin({ token: alert.token ?? "" }))).toMatchObject({ authCode: "LINK_USED" });
    await expect(t.call().caller.auth.resetPassword({ token: resetToken, password: "a brand new passphrase" })).resolves.toBeDefined();
  });
});
