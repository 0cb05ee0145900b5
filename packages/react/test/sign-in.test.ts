// signIn against the real API: the tokens become the tab's and every other tab's; a refusal
// comes back as the API's error code and leaves the session as it was; an account with two-step
// verification answers a challenge, and only verifySecondFactor opens the session.
import { totpCode } from "@bearer-kit/auth/testing";
import { describe, expect, it, vi } from "vitest";
import { readAuthError } from "../src/client.ts";
import { createBrowser } from "./browser.ts";
import { signedInUser, useLiveApi } from "./fixture.ts";

const t = useLiveApi();
// One TOTP step: a code is accepted once per step, so each new code comes from the next one.
const STEP = 30;

/** An account with TOTP on, enrolled through the API as /account does; signed out again. */
async function enrolled() {
  const credentials = await t.api().createUser();
  const { session, trpc } = t.tab(createBrowser());
  signedInUser(await session.signIn(credentials));
  const { secret } = await trpc.account.totpSetup.mutate({ password: credentials.password });
  const { recoveryCodes } = await trpc.account.totpEnable.mutate({ code: totpCode(secret, t.api().clock.now()) });
  await session.signOut();
  return { credentials, secret, recoveryCodes };
}

function nextCode(secret: string): string {
  t.api().clock.advance(STEP);
  return totpCode(secret, t.api().clock.now());
}

describe("signIn", () => {
  it("holds the new session in this tab and hands it to the others", async () => {
    const browser = createBrowser();
    const here = t.tab(browser);
    const there = t.tab(browser);
    there.start();
    await vi.waitFor(() => expect(there.session.getSession().status).toBe("signed-out"), { timeout: 10_000 });
    const credentials = await t.api().createUser();

    const user = signedInUser(await here.session.signIn(credentials));

    expect(user).toMatchObject({ email: credentials.email, name: "Ann" });
    expect(here.session.getSession()).toMatchObject({ status: "signed-in", user: { id: user.id } });
    await vi.waitFor(() => expect(there.session.getAccessToken()).toBe(here.session.getAccessToken()), { timeout: 10_000 });
  });

  it("rejects a wrong password with INVALID_CREDENTIALS and stays signed out", async () => {
    const { session } = t.tab(createBrowser());
    const { email } = await t.api().createUser();

    const refused = await session.signIn({ email, password: "not the password at all" }).catch((error: unknown) => error);

    expect(readAuthError(refused)).toMatchObject({ code: "INVALID_CREDENTIALS", httpStatus: 401, network: false });
    expect(session.getAccessToken()).toBeNull();
  });
});

describe("the second step", () => {
  it("answers a challenge without a session, then verifySecondFactor opens it in every tab", async () => {
    const { credentials, secret } = await enrolled();
    const browser = createBrowser();
    const here = t.tab(browser);
    const there = t.tab(browser);
    there.start();
    await vi.waitFor(() => expect(there.session.getSession().status).toBe("signed-out"), { timeout: 10_000 });

    const outcome = await here.session.signIn(credentials);

    expect(outcome).toMatchObject({ status: "second-factor", methods: ["totp", "recovery_code"] });
    expect(here.session.getAccessToken()).toBeNull();
    if (outcome?.status !== "second-factor") throw new Error("expected a second step");
    const user = await here.session.verifySecondFactor({ mfaToken: outcome.mfaToken, code: nextCode(secret) });
    expect(user).toMatchObject({ email: credentials.email });
    expect(here.session.getSession()).toMatchObject({ status: "signed-in", user: { email: credentials.email } });
    await vi.waitFor(() => expect(there.session.getAccessToken()).toBe(here.session.getAccessToken()), { timeout: 10_000 });
    // The session is the browser's: a reloaded tab restores it from the cookie that verification set.
    const reloaded = t.tab(browser);
    reloaded.start();
    await vi.waitFor(() => expect(reloaded.session.getSession().status).toBe("signed-in"), { timeout: 10_000 });
  });

  it("keeps the challenge open after a wrong code, and takes a recovery code", async () => {
    const { credentials, recoveryCodes } = await enrolled();
    const { session } = t.tab(createBrowser());
    const outcome = await session.signIn(credentials);
    if (outcome?.status !== "second-factor") throw new Error("expected a second step");

    const wrong = await session.verifySecondFactor({ mfaToken: outcome.mfaToken, code: "000000" }).catch((error: unknown) => error);
    expect(readAuthError(wrong)).toMatchObject({ code: "SECOND_FACTOR_INVALID", httpStatus: 401 });
    expect(session.getAccessToken()).toBeNull();

    const user = await session.verifySecondFactor({ mfaToken: outcome.mfaToken, recoveryCode: recoveryCodes[0] ?? "" });
    expect(user).toMatchObject({ email: credentials.email });
    expect(session.getAccessToken()).not.toBeNull();
  });

  it("refuses a used challenge with MFA_TOKEN_INVALID", async () => {
    const { credentials, secret } = await enrolled();
    const { session } = t.tab(createBrowser());
    const outcome = await session.signIn(credentials);
    if (outcome?.status !== "second-factor") throw new Error("expected a second step");
    await session.verifySecondFactor({ mfaToken: outcome.mfaToken, code: nextCode(secret) });

    const reused = await session.verifySecondFactor({ mfaToken: outcome.mfaToken, code: nextCode(secret) }).catch((error: unknown) => error);

    expect(readAuthError(reused)).toMatchObject({ code: "MFA_TOKEN_INVALID", httpStatus: 401 });
  });
});
