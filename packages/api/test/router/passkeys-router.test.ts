import { createSoftAuthenticator } from "@bearer-kit/auth/testing";
import { describe, expect, it } from "vitest";
import type { SigninPayload } from "../../src/index.ts";
import { errorOf } from "../error-of.ts";
import { email, PASSWORD, signedUp, useApi } from "../fixture.ts";

const ORIGIN = "http://localhost:3000";
const t = useApi({ appUrl: ORIGIN });
const COOKIE = { "x-auth-transport": "cookie" };

function decodeJwt(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
}

/** An account with one passkey, registered through account.* like the demo does. */
async function withPasskey() {
  const address = email("passkey");
  const first = signedUp(await t.call().caller.auth.register({ email: address, password: PASSWORD, name: "Ann" }));
  const { caller } = t.call({ token: first.accessToken });
  const authenticator = createSoftAuthenticator({ origin: ORIGIN });
  const options = await caller.account.passkeyRegistrationOptions({ password: PASSWORD });
  const added = await caller.account.addPasskey({ response: await authenticator.create(options), name: "Laptop" });
  return { address, first, caller, authenticator, added };
}

describe("passkeys through the API", () => {
  it("register in account.*, list, then auth.signinWithPasskey answers like auth.signin with amr hwk, user, mfa", async () => {
    const account = await withPasskey();
    expect(account.added).toEqual({
      passkey: { id: account.authenticator.credentials[0]?.id, name: "Laptop", createdAt: t.clock.now().toISOString(), lastUsedAt: null, synced: false },
      recoveryCodes: expect.arrayContaining([expect.any(String)]),
    });
    expect(await account.caller.account.passkeys()).toEqual([account.added.passkey]);
    await expect(account.caller.auth.me()).resolves.toMatchObject({ twoFactor: { totp: false, recoveryCodesLeft: 10, passkeys: 1 } });

    const { caller } = t.call();
    const options = await caller.auth.passkeySigninOptions({});
    const payload = await caller.auth.signinWithPasskey({ response: await account.authenticator.get(options) });
    expect(payload).toMatchObject({ tokenType: "Bearer", user: { email: account.address } });
    expect(decodeJwt(payload.accessToken).amr).toEqual(["hwk", "user", "mfa"]);
    await expect(t.call({ token: payload.accessToken }).caller.auth.me()).resolves.toMatchObject({ email: account.address });
  });

  it("in cookie mode the refresh token goes to an httpOnly cookie and the body holds none, as for auth.signin", async () => {
    const account = await withPasskey();
    const { caller, resHeaders } = t.call({ headers: COOKIE });
    const payload = await caller.auth.signinWithPasskey({ response: await account.authenticator.get(await caller.auth.passkeySigninOptions()) });
    expect(payload.refreshToken).toBeNull();
    expect(resHeaders.get("set-cookie")).toMatch(/HttpOnly/i);
  });

  it("a replayed assertion is 401 PASSKEY_INVALID; a malformed one is 400, never 500", async () => {
    const account = await withPasskey();
    const { caller } = t.call();
    const assertion = await account.authenticator.get(await caller.auth.passkeySigninOptions({}));
    await caller.auth.signinWithPasskey({ response: assertion });
    expect(await errorOf(caller.auth.signinWithPasskey({ response: assertion }))).toMatchObject({ httpStatus: 401, authCode: "PASSKEY_INVALID" });
    expect(await errorOf(caller.auth.signinWithPasskey({ response: { id: 1 } } as never))).toMatchObject({ httpStatus: 400, authCode: "INVALID_INPUT" });
  });

  it("auth.signin answers methods with passkey, and auth.verifySecondFactor takes the assertion", async () => {
    const account = await withPasskey();
    const { caller } = t.call();
    const step: SigninPayload = await caller.auth.signin({ email: account.address, password: PASSWORD });
    if (!step.mfaRequired) throw new Error("expected a second step");
    expect(step.methods).toEqual(["recovery_code", "passkey"]);
    const options = await caller.auth.passkeySigninOptions({ mfaToken: step.mfaToken });
    const payload = await caller.auth.verifySecondFactor({ mfaToken: step.mfaToken, passkey: await account.authenticator.get(options) });
    expect(decodeJwt(payload.accessToken).amr).toEqual(["pwd", "hwk", "user", "mfa"]);
  });

  it("another user's passkey at the second step is 401 SECOND_FACTOR_INVALID", async () => {
    const victim = await withPasskey();
    const attacker = await withPasskey();
    const { caller } = t.call();
    const step = await caller.auth.signin({ email: victim.address, password: PASSWORD });
    if (!step.mfaRequired) throw new Error("expected a second step");
    const options = await caller.auth.passkeySigninOptions({ mfaToken: step.mfaToken });
    const foreign = await attacker.authenticator.get({ ...options, allowCredentials: [] });
    expect(await errorOf(caller.auth.verifySecondFactor({ mfaToken: step.mfaToken, passkey: foreign }))).toMatchObject({
      httpStatus: 401,
      authCode: "SECOND_FACTOR_INVALID",
    });
  });

  it("rename, then remove with the password: 404 for another user's passkey; registration failure is 400", async () => {
    const account = await withPasskey();
    const other = await withPasskey();
    expect(await account.caller.account.renamePasskey({ id: account.added.passkey.id, name: "Phone" })).toMatchObject({ name: "Phone" });
    expect(await errorOf(other.caller.account.renamePasskey({ id: account.added.passkey.id, name: "x" }))).toMatchObject({ httpStatus: 404, authCode: "NOT_FOUND" });
    const options = await other.caller.account.passkeyRegistrationOptions({ password: PASSWORD, code: other.added.recoveryCodes?.[0] });
    const response = await createSoftAuthenticator({ origin: "https://evil.example" }).create(options);
    expect(await errorOf(other.caller.account.addPasskey({ response }))).toMatchObject({ httpStatus: 400, authCode: "PASSKEY_REGISTRATION_FAILED" });
    await expect(account.caller.account.removePasskey({ id: account.added.passkey.id, password: PASSWORD })).resolves.toEqual({ ok: true });
    expect(await account.caller.account.passkeys()).toEqual([]);
  });

  it("account.* passkey procedures need a session", async () => {
    expect(await errorOf(t.call().caller.account.passkeys())).toMatchObject({ httpStatus: 401 });
    expect(await errorOf(t.call().caller.account.passkeyRegistrationOptions({ password: PASSWORD }))).toMatchObject({ httpStatus: 401 });
  });
});
