import { createDevMailbox } from "@bearer-kit/auth";
import { totpCode } from "@bearer-kit/auth/testing";
import { describe, expect, it } from "vitest";
import { createTRPCContext, mergeRouters, mfaProcedure, router, type SigninPayload } from "../../src/index.ts";
import { appRouter } from "../../src/root.ts";
import { createCallerFactory } from "../../src/trpc.ts";
import { errorOf } from "../error-of.ts";
import { email, PASSWORD, signedUp, useApi } from "../fixture.ts";

const mailbox = createDevMailbox();
const t = useApi({ mailer: mailbox, appUrl: "http://app.test" });
const COOKIE = { "x-auth-transport": "cookie" };
const STEP = 30;

/** An access token's claims, read without verifying (the tests only look at `amr`). */
function decodeJwt(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
}

/** The code the app shows after the clock moved one step on: never the step used last. */
function nextCode(secret: string): string {
  t.clock.advance(STEP);
  return totpCode(secret, t.clock.now());
}

function mfaToken(payload: SigninPayload): string {
  if (!payload.mfaRequired) throw new Error("expected a second step");
  return payload.mfaToken;
}

/** An account with TOTP on, through the API. */
async function enrolled() {
  const address = email("totp");
  const first = signedUp(await t.call().caller.auth.register({ email: address, password: PASSWORD, name: "Ann" }));
  const { caller } = t.call({ token: first.accessToken });
  const { secret, otpauthUrl } = await caller.account.totpSetup({ password: PASSWORD });
  const { recoveryCodes } = await caller.account.totpEnable({ code: totpCode(secret, t.clock.now()) });
  return { address, first, secret, otpauthUrl, recoveryCodes };
}

describe("account.totpSetup and account.totpEnable", () => {
  it("set up a pending secret, then turn it on with a code and answer 10 recovery codes", async () => {
    const address = email("totp");
    const first = signedUp(await t.call().caller.auth.register({ email: address, password: PASSWORD, name: "Ann" }));
    const { caller } = t.call({ token: first.accessToken });
    const setup = await caller.account.totpSetup({ password: PASSWORD });
    expect(setup.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(setup.otpauthUrl).toMatch(/^otpauth:\/\/totp\/bearer-kit:.+\?issuer=bearer-kit&secret=[A-Z2-7]{32}&algorithm=SHA1&digits=6&period=30$/);
    await expect(caller.auth.me()).resolves.toMatchObject({ twoFactor: { totp: false, recoveryCodesLeft: 0, passkeys: 0 } });

    const wrong = await errorOf(caller.account.totpEnable({ code: "000000" }));
    expect(wrong).toMatchObject({ code: "UNAUTHORIZED", httpStatus: 401, authCode: "SECOND_FACTOR_INVALID" });
    const { recoveryCodes } = await caller.account.totpEnable({ code: totpCode(setup.secret, t.clock.now()) });
    expect(recoveryCodes).toHaveLength(10);
    await expect(caller.auth.me()).resolves.toMatchObject({ email: address, twoFactor: { totp: true, recoveryCodesLeft: 10, passkeys: 0 } });
  });

  it("refuses a wrong password", async () => {
    const first = signedUp(await t.call().caller.auth.register({ email: email(), password: PASSWORD, name: "Ann" }));
    const error = await errorOf(t.call({ token: first.accessToken }).caller.account.totpSetup({ password: "not the password" }));
    expect(error).toMatchObject({ httpStatus: 401, authCode: "INVALID_CREDENTIALS" });
  });
});

describe("auth.signin and auth.verifySecondFactor", () => {
  it("signin answers mfaRequired with an mfaToken and no token or cookie, in either transport", async () => {
    const account = await enrolled();
    for (const headers of [{}, COOKIE]) {
      const { caller, resHeaders } = t.call({ headers });
      const payload = await caller.auth.signin({ email: account.address, password: PASSWORD });
      expect(payload).toEqual({ mfaRequired: true, mfaToken: expect.stringMatching(/^mfa_/), methods: ["totp", "recovery_code"] });
      expect(resHeaders.get("set-cookie")).toBeNull();
    }
  });

  it("without TOTP, signin answers mfaRequired: false with the token response", async () => {
    const address = email();
    await t.call().caller.auth.register({ email: address, password: PASSWORD, name: "Ann" });
    const payload = await t.call().caller.auth.signin({ email: address, password: PASSWORD });
    expect(payload).toMatchObject({ mfaRequired: false, tokenType: "Bearer", accessToken: expect.any(String) });
  });

  it("verifySecondFactor with a code answers the token response with amr pwd, otp, mfa", async () => {
    const account = await enrolled();
    const token = mfaToken(await t.call().caller.auth.signin({ email: account.address, password: PASSWORD }));
    const payload = await t.call().caller.auth.verifySecondFactor({ mfaToken: token, code: nextCode(account.secret) });
    expect(payload).toMatchObject({ tokenType: "Bearer", refreshToken: expect.any(String), user: { email: account.address } });
    expect(decodeJwt(payload.accessToken).amr).toEqual(["pwd", "otp", "mfa"]);
    const refreshed = await t.call().caller.auth.refresh({ refreshToken: payload.refreshToken ?? "" });
    expect(decodeJwt(refreshed.accessToken).amr).toEqual(["pwd", "otp", "mfa"]);
  });

  it("verifySecondFactor in cookie mode sets the refresh cookie and leaves the body without it", async () => {
    const account = await enrolled();
    const token = mfaToken(await t.call({ headers: COOKIE }).caller.auth.signin({ email: account.address, password: PASSWORD }));
    const { caller, resHeaders } = t.call({ headers: COOKIE });
    const payload = await caller.auth.verifySecondFactor({ mfaToken: token, recoveryCode: account.recoveryCodes[0] ?? "" });
    expect(payload.refreshToken).toBeNull();
    expect(resHeaders.get("set-cookie")).toMatch(/HttpOnly/i);
    expect(decodeJwt(payload.accessToken).amr).toEqual(["pwd", "mfa"]);
  });

  it("maps the codes: SECOND_FACTOR_INVALID and MFA_TOKEN_INVALID are 401", async () => {
    const account = await enrolled();
    const token = mfaToken(await t.call().caller.auth.signin({ email: account.address, password: PASSWORD }));
    const wrong = await errorOf(t.call().caller.auth.verifySecondFactor({ mfaToken: token, code: "000000" }));
    expect(wrong).toMatchObject({ code: "UNAUTHORIZED", httpStatus: 401, authCode: "SECOND_FACTOR_INVALID" });
    const unknown = await errorOf(t.call().caller.auth.verifySecondFactor({ mfaToken: "mfa_unknown", code: nextCode(account.secret) }));
    expect(unknown).toMatchObject({ code: "UNAUTHORIZED", httpStatus: 401, authCode: "MFA_TOKEN_INVALID" });
    const foreign = await errorOf(
      t.call({ clientAddress: "198.51.100.77" }).caller.auth.verifySecondFactor({ mfaToken: token, code: nextCode(account.secret) }),
    );
    expect(foreign.authCode).toBe("MFA_TOKEN_INVALID");
    const neither = await errorOf(t.call().caller.auth.verifySecondFactor({ mfaToken: token } as never));
    expect(neither).toMatchObject({ httpStatus: 400, authCode: "INVALID_INPUT" });
  });
});

describe("mfaProcedure", () => {
  const hostRouter = mergeRouters(appRouter, router({ vault: router({ open: mfaProcedure.query(({ ctx }) => ctx.amr) }) }));
  const createHostCaller = createCallerFactory(hostRouter);
  const hostCall = (token: string) =>
    createHostCaller(
      createTRPCContext({
        auth: t.auth,
        headers: new Headers({ authorization: `Bearer ${token}` }),
        resHeaders: new Headers(),
        clientAddress: "203.0.113.9",
        now: t.clock.now,
      }),
    );

  it("refuses a password-only session with MFA_REQUIRED (403), and lets a two-factor session in with its amr", async () => {
    const account = await enrolled();
    const refused = await errorOf(hostCall(account.first.accessToken).vault.open());
    expect(refused).toMatchObject({ code: "FORBIDDEN", httpStatus: 403, authCode: "MFA_REQUIRED" });
    const token = mfaToken(await t.call().caller.auth.signin({ email: account.address, password: PASSWORD }));
    const payload = await t.call().caller.auth.verifySecondFactor({ mfaToken: token, code: nextCode(account.secret) });
    await expect(hostCall(payload.accessToken).vault.open()).resolves.toEqual(["pwd", "otp", "mfa"]);
  });
});

describe("no bypass through the API", () => {
  it("resetPassword answers the second step; the password changed and every session ended", async () => {
    const account = await enrolled();
    await t.call().caller.auth.requestPasswordReset({ email: account.address });
    await t.auth.idle();
    const link = mailbox.list().find((mail) => mail.to === account.address && mail.subject === "Reset your password");
    const token = decodeURIComponent(/#token=([^&\s]+)/.exec(link?.links[0] ?? "")?.[1] ?? "");
    const { caller, resHeaders } = t.call({ headers: COOKIE });
    const payload = await caller.auth.resetPassword({ token, password: "a brand new passphrase" });
    expect(payload).toEqual({ mfaRequired: true, mfaToken: expect.stringMatching(/^mfa_/), methods: ["totp", "recovery_code"] });
    expect(resHeaders.get("set-cookie")).toBeNull();
    expect((await errorOf(t.call({ token: account.first.accessToken }).caller.auth.me())).authCode).toBe("SESSION_REVOKED");
    const signedIn = await t.call().caller.auth.verifySecondFactor({ mfaToken: mfaToken(payload), code: nextCode(account.secret) });
    expect(signedIn.user.email).toBe(account.address);
  });

  it("account.changePassword, changeEmail and delete need a code: SECOND_FACTOR_INVALID (401) without", async () => {
    const account = await enrolled();
    const { caller } = t.call({ token: account.first.accessToken });
    const calls = [
      () => caller.account.changePassword({ currentPassword: PASSWORD, newPassword: "a brand new passphrase" }),
      () => caller.account.changeEmail({ password: PASSWORD, newEmail: email("new") }),
      () => caller.account.delete({ password: PASSWORD }),
    ];
    for (const call of calls) expect(await errorOf(call())).toMatchObject({ httpStatus: 401, authCode: "SECOND_FACTOR_INVALID" });
    await expect(caller.account.changePassword({ currentPassword: PASSWORD, newPassword: "a brand new passphrase", code: nextCode(account.secret) })).resolves.toEqual({
      ok: true,
    });
  });

  it("account.totpDisable and account.recoveryCodes need the password and a code", async () => {
    const account = await enrolled();
    const { caller } = t.call({ token: account.first.accessToken });
    expect((await errorOf(caller.account.recoveryCodes({ password: PASSWORD, code: "000000" }))).authCode).toBe("SECOND_FACTOR_INVALID");
    const { recoveryCodes } = await caller.account.recoveryCodes({ password: PASSWORD, code: nextCode(account.secret) });
    expect(recoveryCodes.some((code) => account.recoveryCodes.includes(code))).toBe(false);
    await expect(caller.account.totpDisable({ password: PASSWORD, code: recoveryCodes[0] ?? "" })).resolves.toEqual({ ok: true });
    await expect(caller.auth.me()).resolves.toMatchObject({ twoFactor: { totp: false, recoveryCodesLeft: 0, passkeys: 0 } });
  });
});
