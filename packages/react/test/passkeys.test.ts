// Passkeys through the session against the real API and its real WebAuthn verifier, with the
// soft authenticator in place of the browser's prompt: a passkey sign-in holds the session as a
// password sign-in does, in every tab, and a passkey answers the second step a password opens.
import { createSoftAuthenticator, type SoftAuthenticator } from "@bearer-kit/auth/testing";
import { describe, expect, it, vi } from "vitest";
import { readAuthError } from "../src/client.ts";
import { createBrowser } from "./browser.ts";
import { signedInUser, useLiveApi } from "./fixture.ts";
import { APP_ORIGIN } from "./live-api.ts";

const t = useLiveApi();

/** An account with one passkey, added through the API as /account does; signed out again. */
async function withPasskey(): Promise<{ credentials: { email: string; password: string }; authenticator: SoftAuthenticator }> {
  const credentials = await t.api().createUser();
  const authenticator = createSoftAuthenticator({ origin: APP_ORIGIN });
  const { session, trpc } = t.tab(createBrowser());
  signedInUser(await session.signIn(credentials));
  const optionsJSON = await trpc.account.passkeyRegistrationOptions.mutate({ password: credentials.password });
  await trpc.account.addPasskey.mutate({ response: await authenticator.create(optionsJSON), name: "Laptop" });
  await session.signOut();
  return { credentials, authenticator };
}

describe("signInWithPasskey", () => {
  it("holds the new session in this tab and hands it to the others; a reload restores it from the cookie", async () => {
    const { credentials, authenticator } = await withPasskey();
    const browser = createBrowser();
    const here = t.tab(browser);
    const there = t.tab(browser);
    there.start();
    await vi.waitFor(() => expect(there.session.getSession().status).toBe("signed-out"), { timeout: 10_000 });

    // Usernameless: no account named, so any passkey of the site may answer.
    const optionsJSON = await here.session.passkeySigninOptions();
    expect(optionsJSON.allowCredentials ?? []).toEqual([]);
    const outcome = await here.session.signInWithPasskey(await authenticator.get(optionsJSON));

    expect(outcome).toMatchObject({ status: "signed-in", user: { email: credentials.email } });
    expect(here.session.getSession()).toMatchObject({ status: "signed-in", user: { email: credentials.email } });
    await vi.waitFor(() => expect(there.session.getAccessToken()).toBe(here.session.getAccessToken()), { timeout: 10_000 });
    const reloaded = t.tab(browser);
    reloaded.start();
    await vi.waitFor(() => expect(reloaded.session.getSession().status).toBe("signed-in"), { timeout: 10_000 });
  });

  it("refuses an answer to a used challenge with PASSKEY_INVALID and stays signed out", async () => {
    const { authenticator } = await withPasskey();
    const { session } = t.tab(createBrowser());
    const response = await authenticator.get(await session.passkeySigninOptions());
    await session.signInWithPasskey(response);
    await session.signOut();

    const replayed = await session.signInWithPasskey(response).catch((error: unknown) => error);

    expect(readAuthError(replayed)).toMatchObject({ code: "PASSKEY_INVALID", httpStatus: 401 });
    expect(session.getAccessToken()).toBeNull();
    expect(session.getSession().status).toBe("signed-out");
  });
});

describe("a passkey as the second step", () => {
  it("answers the challenge of a password sign-in, which names only that account's passkeys", async () => {
    const { credentials, authenticator } = await withPasskey();
    const { session } = t.tab(createBrowser());

    const outcome = await session.signIn(credentials);

    if (outcome?.status !== "second-factor") throw new Error("expected a second step");
    expect(outcome.methods).toContain("passkey");
    expect(session.getAccessToken()).toBeNull();
    const optionsJSON = await session.passkeySigninOptions({ mfaToken: outcome.mfaToken });
    expect(optionsJSON.allowCredentials?.map((credential) => credential.id)).toEqual(authenticator.credentials.map((held) => held.id));
    const user = await session.verifySecondFactor({ mfaToken: outcome.mfaToken, passkey: await authenticator.get(optionsJSON) });
    expect(user).toMatchObject({ email: credentials.email });
    expect(session.getSession()).toMatchObject({ status: "signed-in", user: { email: credentials.email } });
  });

  it("refuses another account's passkey with SECOND_FACTOR_INVALID, then takes the account's own", async () => {
    const { credentials, authenticator } = await withPasskey();
    const stranger = await withPasskey();
    const { session } = t.tab(createBrowser());
    const outcome = await session.signIn(credentials);
    if (outcome?.status !== "second-factor") throw new Error("expected a second step");

    // The other account's passkey signs this step's challenge, as a stolen device would.
    const foreign = await stranger.authenticator.get({ ...(await session.passkeySigninOptions({ mfaToken: outcome.mfaToken })), allowCredentials: [] });
    const refused = await session.verifySecondFactor({ mfaToken: outcome.mfaToken, passkey: foreign }).catch((error: unknown) => error);
    expect(readAuthError(refused)).toMatchObject({ code: "SECOND_FACTOR_INVALID", httpStatus: 401 });
    expect(session.getAccessToken()).toBeNull();

    const own = await authenticator.get(await session.passkeySigninOptions({ mfaToken: outcome.mfaToken }));
    const user = await session.verifySecondFactor({ mfaToken: outcome.mfaToken, passkey: own });
    expect(user).toMatchObject({ email: credentials.email });
  });

  it("refuses options for a dead challenge with MFA_TOKEN_INVALID", async () => {
    const { session } = t.tab(createBrowser());

    const refused = await session.passkeySigninOptions({ mfaToken: "not-a-challenge" }).catch((error: unknown) => error);

    expect(readAuthError(refused)).toMatchObject({ code: "MFA_TOKEN_INVALID", httpStatus: 401 });
  });
});
