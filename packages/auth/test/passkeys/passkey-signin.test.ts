// Signing in with a passkey alone: usernameless, single-use challenges bound to one ceremony,
// the RP's origin and ID, the signature counter, and the amr a passkey session carries.
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { WEBAUTHN_CHALLENGE_TTL } from "../../src/passkeys/webauthn-challenges.ts";
import { createSoftAuthenticator } from "../../src/testing/index.ts";
import { codeOf } from "../codes.ts";
import { PASSWORD, useAuth } from "../fixture.ts";
import { useMail } from "../mail-fixture.ts";
import { CLIENT } from "../second-factors/two-factor-fixture.ts";
import { accountWithPasskey, ORIGIN, signinWithPasskey } from "./passkey-fixture.ts";

const t = useAuth({ throttle: { registerMaxPerIp: 100_000 } });
const m = useMail(t, { appUrl: ORIGIN });

describe("signinWithPasskey", () => {
  it("signs a registered passkey in without an email, never asks a second step, and marks the passkey used", async () => {
    const account = await accountWithPasskey(m);
    const options = await m.auth.passkeySigninOptions({}, CLIENT);
    expect(options).toMatchObject({ rpId: "localhost", userVerification: "required", allowCredentials: [] });
    const result = await m.auth.signinWithPasskey({ response: await account.authenticator.get(options) }, CLIENT);
    expect(result.user.email).toBe(account.address);
    expect(await m.auth.checkBearerToken(result.accessToken)).toMatchObject({ id: account.current.user.id });
    const [listed] = await m.auth.passkeys(account.current.user.id);
    expect(listed?.lastUsedAt).toEqual(t.clock.now());
  });

  it("a device-bound passkey gives amr hwk, user, mfa; a synced one swk, user, mfa", async () => {
    const bound = await accountWithPasskey(m);
    const boundResult = await signinWithPasskey(m.auth, bound.authenticator);
    expect(boundResult.session.amr).toEqual(["hwk", "user", "mfa"]);
    expect(decodeJwt(boundResult.accessToken).amr).toEqual(["hwk", "user", "mfa"]);

    const synced = await accountWithPasskey(m, { synced: true });
    expect(synced.passkey.synced).toBe(true);
    const syncedResult = await signinWithPasskey(m.auth, synced.authenticator);
    expect(syncedResult.session.amr).toEqual(["swk", "user", "mfa"]);
    expect(decodeJwt(syncedResult.accessToken).amr).toEqual(["swk", "user", "mfa"]);
  });

  it("refuses a challenge used twice: the replayed assertion is PASSKEY_INVALID", async () => {
    const account = await accountWithPasskey(m);
    const assertion = await account.authenticator.get(await m.auth.passkeySigninOptions({}, CLIENT));
    await m.auth.signinWithPasskey({ response: assertion }, CLIENT);
    expect(await codeOf(m.auth.signinWithPasskey({ response: assertion }, CLIENT))).toBe("PASSKEY_INVALID");
    // A fresh assertion over the same challenge (a new counter) is no better.
    const [challenge] = [JSON.parse(Buffer.from(assertion.response.clientDataJSON, "base64url").toString()).challenge as string];
    const again = await account.authenticator.get(await m.auth.passkeySigninOptions({}, CLIENT), { challenge });
    expect(await codeOf(m.auth.signinWithPasskey({ response: again }, CLIENT))).toBe("PASSKEY_INVALID");
  });

  it("of two answers racing for one challenge, exactly one signs in", async () => {
    const account = await accountWithPasskey(m);
    const options = await m.auth.passkeySigninOptions({}, CLIENT);
    const first = await account.authenticator.get(options);
    const second = await account.authenticator.get(options);
    const outcomes = await Promise.allSettled([
      m.auth.signinWithPasskey({ response: first }, CLIENT),
      m.auth.signinWithPasskey({ response: second }, CLIENT),
    ]);
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    const [refused] = outcomes.filter((outcome) => outcome.status === "rejected");
    expect((refused as PromiseRejectedResult).reason).toMatchObject({ code: "PASSKEY_INVALID" });
  });

  it("refuses an expired challenge (after 5 minutes) and one the server never issued", async () => {
    const account = await accountWithPasskey(m);
    const options = await m.auth.passkeySigninOptions({}, CLIENT);
    t.clock.advance(WEBAUTHN_CHALLENGE_TTL);
    expect(await codeOf(m.auth.signinWithPasskey({ response: await account.authenticator.get(options) }, CLIENT))).toBe("PASSKEY_INVALID");

    const forged = await account.authenticator.get(options, { challenge: Buffer.alloc(32, 7).toString("base64url") });
    expect(await codeOf(m.auth.signinWithPasskey({ response: forged }, CLIENT))).toBe("PASSKEY_INVALID");
  });

  it("refuses an assertion made for another origin or another RP ID", async () => {
    const account = await accountWithPasskey(m);
    const phished = await account.authenticator.get(await m.auth.passkeySigninOptions({}, CLIENT), { origin: "https://evil.example" });
    expect(await codeOf(m.auth.signinWithPasskey({ response: phished }, CLIENT))).toBe("PASSKEY_INVALID");
    const otherRp = await account.authenticator.get(await m.auth.passkeySigninOptions({}, CLIENT), { rpId: "example.com" });
    expect(await codeOf(m.auth.signinWithPasskey({ response: otherRp }, CLIENT))).toBe("PASSKEY_INVALID");
    // The challenges were used up by the refusals; the passkey itself still works.
    expect((await signinWithPasskey(m.auth, account.authenticator)).user.email).toBe(account.address);
  });

  it("refuses a signature counter that went backwards, and reports the clone through onWarning", async () => {
    const account = await accountWithPasskey(m);
    await signinWithPasskey(m.auth, account.authenticator); // counter 1
    await signinWithPasskey(m.auth, account.authenticator); // counter 2
    const [credential] = account.authenticator.credentials;
    expect(await codeOf(signinWithPasskey(m.auth, account.authenticator, { counter: 2 }))).toBe("PASSKEY_INVALID");
    expect(await codeOf(signinWithPasskey(m.auth, account.authenticator, { counter: 1 }))).toBe("PASSKEY_INVALID");
    expect(m.warnings.filter((warning) => warning.includes("signature counter went from 2 to"))).toHaveLength(2);
    expect(m.warnings[0]).toContain(credential?.id);
    // The owner sees it in the activity log, committed with the refusal.
    // Both refusals happened at the same pinned instant, so their order in the log is not defined.
    const { events } = await m.auth.securityEvents(account.current.user.id);
    const regressions = events.filter((event) => event.type === "passkey_counter_regressed").map((event) => event.detail);
    expect(regressions).toHaveLength(2);
    expect(regressions).toEqual(
      expect.arrayContaining([
        { passkey: credential?.id, stored: 2, received: 1 },
        { passkey: credential?.id, stored: 2, received: 2 },
      ]),
    );
    // The original authenticator, which counts on, still signs in.
    account.authenticator.setCounter(credential?.id ?? "", 2);
    expect((await signinWithPasskey(m.auth, account.authenticator)).user.email).toBe(account.address);
  });

  it("accepts a passkey whose counter stays 0 (many synced passkeys never count)", async () => {
    const account = await accountWithPasskey(m, { synced: true });
    expect((await signinWithPasskey(m.auth, account.authenticator, { counter: 0 })).user.email).toBe(account.address);
    expect((await signinWithPasskey(m.auth, account.authenticator, { counter: 0 })).user.email).toBe(account.address);
  });

  it("refuses a passkey the server does not know, and one that was removed", async () => {
    const account = await accountWithPasskey(m);
    const stranger = createSoftAuthenticator({ origin: ORIGIN });
    await stranger.create(await m.auth.passkeyRegistrationOptions(account.current, { password: PASSWORD, code: account.recoveryCodes[0] }, CLIENT));
    expect(await codeOf(signinWithPasskey(m.auth, stranger))).toBe("PASSKEY_INVALID");

    await m.auth.removePasskey(account.current, { id: account.passkey.id, password: PASSWORD }, CLIENT);
    expect(await codeOf(signinWithPasskey(m.auth, account.authenticator))).toBe("PASSKEY_INVALID");
  });

  it("a second-step challenge is not a sign-in challenge", async () => {
    const account = await accountWithPasskey(m);
    const step = await m.auth.signinOrChallenge({ email: account.address, password: PASSWORD }, CLIENT);
    if (!step.mfaRequired) throw new Error("expected a second step");
    const options = await m.auth.passkeySigninOptions({ mfaToken: step.mfaToken }, CLIENT);
    expect(await codeOf(m.auth.signinWithPasskey({ response: await account.authenticator.get(options) }, CLIENT))).toBe("PASSKEY_INVALID");
  });

  it("answers INVALID_INPUT for malformed responses, never a 500", async () => {
    expect(await codeOf(m.auth.signinWithPasskey({ response: { id: "", rawId: "x" } } as never, CLIENT))).toBe("INVALID_INPUT");
    expect(await codeOf(m.auth.signinWithPasskey({ response: "junk" } as never, CLIENT))).toBe("INVALID_INPUT");
    const garbage = { id: "abc", rawId: "abc", type: "public-key", response: { clientDataJSON: "e30", authenticatorData: "AA", signature: "AA" }, clientExtensionResults: {} };
    expect(await codeOf(m.auth.signinWithPasskey({ response: garbage }, CLIENT))).toBe("PASSKEY_INVALID");
  });
});
