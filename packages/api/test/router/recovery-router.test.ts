import { createAuth, createSmtpMailer, type Mailer } from "@bearer-kit/auth";
import { startTestSMTPServer, TEST_SECRET, testBackend, type TestSMTPServer } from "@bearer-kit/auth/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorOf } from "../error-of.ts";
import { email, PASSWORD, signedIn, signedUp } from "../fixture.ts";
import { type ErrorBody, useHttp } from "../http-fixture.ts";

let smtp: TestSMTPServer;
let smtpMailer: Mailer | undefined;
// Bound once the server has a port; the fixture's options are fixed before that.
const mailer: Mailer = {
  send: async (mail) => {
    if (!smtpMailer) throw new Error("no SMTP server yet");
    await smtpMailer.send(mail);
  },
};
const warnings: string[] = [];
// One trusted proxy: the timing test gives each round its own X-Forwarded-For, so it never
// spends the per-address reset budget (20 an hour) that the other tests share.
const h = useHttp({ mailer, appUrl: "http://app.test", onWarning: (message) => warnings.push(message) }, { trustedProxies: 1 });
const { t } = h;

beforeAll(async () => {
  smtp = await startTestSMTPServer();
  smtpMailer = createSmtpMailer({ url: smtp.url, from: "bearer-kit <no-reply@localhost>" });
});
afterAll(() => smtp.close());

const COOKIE = { "x-auth-transport": "cookie" };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const json = async (response: Response): Promise<unknown> => response.json();

/** The service with verification required, over the same database and mail server. */
const strict = () =>
  createAuth({ db: t.database.db, secret: TEST_SECRET, now: t.clock.now, mailer, requireEmailVerification: true, throttle: { registerMaxPerIp: 100_000 } });

async function registered() {
  const address = email();
  const payload = signedUp(await t.call().caller.auth.register({ email: address, password: PASSWORD, name: "Ann" }));
  const verify = (await smtp.take(address)).token ?? "";
  return { address, payload, verify };
}

describe("auth.register", () => {
  it("answers verificationRequired: false with the tokens, and the user is not verified yet", async () => {
    const { payload } = await registered();
    expect(payload).toMatchObject({ verificationRequired: false, tokenType: "Bearer", user: { emailVerified: false } });
  });

  it("with verification required, answers { verificationRequired: true, email } and no tokens, taken address or not", async () => {
    const auth = strict();
    const { address } = await registered();
    const fresh = email();
    const { caller: a, resHeaders: ha } = t.call({ auth, headers: COOKIE });
    const { caller: b, resHeaders: hb } = t.call({ auth, headers: COOKIE });
    expect(await a.auth.register({ email: fresh, password: PASSWORD, name: "Eve" })).toEqual({ verificationRequired: true, email: fresh });
    expect(await b.auth.register({ email: address, password: PASSWORD, name: "Eve" })).toEqual({ verificationRequired: true, email: address });
    expect([ha.getSetCookie(), hb.getSetCookie()]).toEqual([[], []]);
    expect((await smtp.take(address)).subject).toBe("Someone tried to register with your address");
    const error = await errorOf(t.call({ auth }).caller.auth.signin({ email: fresh, password: PASSWORD }));
    expect(error).toMatchObject({ httpStatus: 403, authCode: "EMAIL_NOT_VERIFIED" });
  });
});

describe("auth.verifyEmail and auth.resendVerification", () => {
  it("verifies with the mailed token, over HTTP; auth.me then says so", async () => {
    const { address, payload, verify } = await registered();
    const response = await h.post("auth.verifyEmail", { token: verify });
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({ result: { data: { status: "verified", email: address } } });
    expect(await t.call({ token: payload.accessToken }).caller.auth.me()).toMatchObject({ emailVerified: true });
    const again = await h.post("auth.verifyEmail", { token: verify });
    expect(again.status).toBe(400);
    expect(((await json(again)) as ErrorBody).error.data.authCode).toBe("LINK_USED");
  });

  it("maps link failures to 400 with their code", async () => {
    const { verify } = await registered();
    expect(await errorOf(t.call().caller.auth.verifyEmail({ token: "junk" }))).toMatchObject({ httpStatus: 400, authCode: "LINK_INVALID" });
    t.clock.advance(86_401);
    expect(await errorOf(t.call().caller.auth.verifyEmail({ token: verify }))).toMatchObject({ httpStatus: 400, authCode: "LINK_EXPIRED" });
  });

  it("resends only for a signed-in caller, once a minute", async () => {
    const { address, payload } = await registered();
    expect(await errorOf(t.call().caller.auth.resendVerification())).toMatchObject({ httpStatus: 401 });
    expect(await t.call({ token: payload.accessToken }).caller.auth.resendVerification()).toEqual({ ok: true });
    expect((await smtp.take(address)).subject).toBe("Verify your email address");
    expect(await errorOf(t.call({ token: payload.accessToken }).caller.auth.resendVerification())).toMatchObject({
      httpStatus: 429,
      authCode: "RATE_LIMITED",
      retryAfter: 60,
    });
  });
});

describe("auth.requestPasswordReset and auth.resetPassword", () => {
  it("answers a known and an unknown address with the same status and body", async () => {
    const { address } = await registered();
    const known = await h.post("auth.requestPasswordReset", { email: address });
    const unknown = await h.post("auth.requestPasswordReset", { email: email("nobody") });
    expect([known.status, unknown.status]).toEqual([200, 200]);
    expect(await known.text()).toBe(await unknown.text());
    expect((await smtp.take(address)).subject).toBe("Reset your password");
  });

  it("measures both paths' timing (reported, not asserted: the work is off the request path)", async () => {
    const rounds = 40;
    const known: number[] = [];
    const unknown: number[] = [];
    const accounts = await Promise.all(Array.from({ length: rounds }, () => registered()));
    for (let i = 0; i < rounds; i++) {
      const from = { "x-forwarded-for": `198.51.100.${i + 1}` };
      // Alternating which goes first, so neither path always follows the other's background work.
      const pair = [
        [accounts[i]?.address ?? "", known],
        [email("nobody"), unknown],
      ] as const;
      for (const [target, times] of i % 2 === 0 ? pair : [...pair].reverse()) {
        await t.auth.idle(); // the previous request's mail is not this one's cost
        const start = performance.now();
        const response = await h.post("auth.requestPasswordReset", { email: target }, from);
        times.push(performance.now() - start);
        expect(response.status).toBe(200);
      }
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
    console.info(`requestPasswordReset on ${testBackend()}, median of ${rounds}: known ${median(known).toFixed(2)} ms, unknown ${median(unknown).toFixed(2)} ms`);
  });

  it("resets over HTTP in cookie mode like signin, and signs the old session out", async () => {
    const { address, payload } = await registered();
    await h.post("auth.requestPasswordReset", { email: address });
    const { token } = await smtp.take(address);
    const response = await h.post("auth.resetPassword", { token, password: "a brand new passphrase" }, COOKIE);
    expect(response.status).toBe(200);
    const body = (await json(response)) as { result: { data: { accessToken: string; refreshToken: string | null; user: { emailVerified: boolean } } } };
    expect(body.result.data).toMatchObject({ refreshToken: null, user: { emailVerified: true } });
    expect(response.headers.getSetCookie().some((cookie) => cookie.startsWith("bk_refresh="))).toBe(true);
    expect((await h.get("auth.me", bearer(payload.accessToken))).status).toBe(401);
    expect((await h.get("auth.me", bearer(body.result.data.accessToken))).status).toBe(200);
  });

  it("refuses weak passwords and bad tokens with their codes", async () => {
    expect(await errorOf(t.call().caller.auth.resetPassword({ token: "reset_x", password: "short" }))).toMatchObject({
      httpStatus: 400,
      authCode: "WEAK_PASSWORD",
    });
    expect(await errorOf(t.call().caller.auth.resetPassword({ token: "reset_x", password: PASSWORD }))).toMatchObject({
      httpStatus: 400,
      authCode: "LINK_INVALID",
    });
  });

  it("answers as usual when the mail cannot be sent, and logs it", async () => {
    const { address } = await registered();
    smtp.failing = true;
    try {
      expect((await h.post("auth.requestPasswordReset", { email: address })).status).toBe(200);
      await t.auth.idle();
    } finally {
      smtp.failing = false;
    }
    expect(warnings.at(-1)).toMatch(/could not send "Reset your password"/);
  });
});

describe("account.changeEmail", () => {
  it("changes the email once confirmed, keeps the confirming session and revokes the others", async () => {
    const { address, payload } = await registered();
    const other = signedIn(await t.call().caller.auth.signin({ email: address, password: PASSWORD }));
    const next = email("next");
    const error = await errorOf(t.call({ token: payload.accessToken }).caller.account.changeEmail({ password: "wrong password", newEmail: next }));
    expect(error).toMatchObject({ httpStatus: 401, authCode: "INVALID_CREDENTIALS", fieldErrors: { password: ["The password is incorrect"] } });
    expect(await t.call({ token: payload.accessToken }).caller.account.changeEmail({ password: PASSWORD, newEmail: next })).toEqual({ ok: true });
    const { token } = await smtp.take(next);
    expect((await smtp.take(address)).subject).toBe("Your account's email is about to change");

    const confirmed = await t.call({ token: payload.accessToken }).caller.auth.verifyEmail({ token: token ?? "" });
    expect(confirmed).toEqual({ status: "email_changed", email: next });
    expect(await t.call({ token: payload.accessToken }).caller.auth.me()).toMatchObject({ email: next, emailVerified: true });
    expect(await errorOf(t.call({ token: other.accessToken }).caller.auth.me())).toMatchObject({ authCode: "SESSION_REVOKED" });
  });

  it("refuses a taken address with 409 EMAIL_TAKEN when verification is not required", async () => {
    const { payload } = await registered();
    const { address: taken } = await registered();
    const error = await errorOf(t.call({ token: payload.accessToken }).caller.account.changeEmail({ password: PASSWORD, newEmail: taken }));
    expect(error).toMatchObject({ httpStatus: 409, authCode: "EMAIL_TAKEN" });
  });
});
