// Passkeys: an assertion signs in only when it answers a challenge this server issued, for this
// purpose, once, within 5 minutes, from this origin and rpID. A software authenticator signs real
// assertions (packages/auth/src/testing/soft-authenticator.ts), so nothing here is mocked.
import { randomBytes } from "node:crypto";
import { defineGroup } from "../conformance-case.ts";
import { describe, fail } from "../lib/expect.ts";
import { authPayloadOf } from "../lib/payloads.ts";
import {
  DEVICE_PASSKEY_AMR,
  passkeySigninOptions,
  registerPasskeyUser,
  signinWithPasskey,
  startPasskeySignin,
  SYNCED_PASSKEY_AMR,
  verifyWithPasskey,
} from "../lib/passkeys.ts";
import { expectTokenAccepted } from "../lib/probe.ts";
import { expectAMR, expectRefused } from "../lib/two-factor.ts";

/** A passkey challenge's lifetime in seconds: the contract's 5 minutes. */
const CHALLENGE_TTL = 300;

/** Each case registers its own accounts, each with its own authenticator. */
export const passkeyCases = defineGroup("passkeys", [
  {
    name: 'a device-bound passkey signs in usernameless with amr ["hwk","user","mfa"]; a synced one with ["swk","user","mfa"]',
    run: async (ctx) => {
      for (const [synced, amr] of [[false, DEVICE_PASSKEY_AMR], [true, SYNCED_PASSKEY_AMR]] as const) {
        const user = await registerPasskeyUser(ctx, { synced });
        const assertion = await user.authenticator.get(await passkeySigninOptions(ctx));
        const payload = authPayloadOf(await signinWithPasskey(ctx, assertion));
        if (payload.user.id !== user.id) fail(`the passkey of ${user.id} signed in ${payload.user.id}`);
        expectAMR(payload.accessToken, amr, `a ${synced ? "synced" : "device-bound"} passkey's access token`);
        await expectTokenAccepted(ctx, payload.accessToken, user.id);
      }
    },
  },
  {
    name: "an assertion used a second time (the same challenge) is PASSKEY_INVALID",
    run: async (ctx) => {
      const user = await registerPasskeyUser(ctx);
      const assertion = await user.authenticator.get(await passkeySigninOptions(ctx));
      authPayloadOf(await signinWithPasskey(ctx, assertion));
      expectRefused(await signinWithPasskey(ctx, assertion), "PASSKEY_INVALID", "a replayed assertion");
    },
  },
  {
    name: "two assertions answering one challenge at once: exactly one signs in, the other is PASSKEY_INVALID",
    run: async (ctx) => {
      const user = await registerPasskeyUser(ctx);
      const request = await passkeySigninOptions(ctx);
      // Both validly signed, counters 1 and 2: only the challenge's single use can refuse one.
      const first = await user.authenticator.get(request);
      const second = await user.authenticator.get(request);
      const responses = await Promise.all([signinWithPasskey(ctx, first), signinWithPasskey(ctx, second)]);
      const won = responses.filter((response) => response.status === 200);
      if (won.length !== 1) fail(`expected exactly one sign-in, got ${responses.map(describe).join(" and ")}`);
      const lost = responses.find((response) => response.status !== 200);
      if (lost) expectRefused(lost, "PASSKEY_INVALID", "the second answer to one challenge");
    },
  },
  {
    name: "an assertion for a challenge the server never issued is PASSKEY_INVALID",
    run: async (ctx) => {
      const user = await registerPasskeyUser(ctx);
      const rpId = new URL(ctx.options.url).hostname;
      // Shaped like the server's (32 random bytes, base64url), signed by the account's real key.
      const assertion = await user.authenticator.get({ challenge: randomBytes(32).toString("base64url"), rpId, allowCredentials: [] });
      expectRefused(await signinWithPasskey(ctx, assertion), "PASSKEY_INVALID", "an invented challenge");
      // An issued challenge, answered the same way, signs in: the refusal was the challenge.
      authPayloadOf(await signinWithPasskey(ctx, await user.authenticator.get(await passkeySigninOptions(ctx))));
    },
  },
  {
    name: "an assertion from another origin or for another rpID is PASSKEY_INVALID",
    run: async (ctx) => {
      const user = await registerPasskeyUser(ctx);
      const { protocol, hostname, port } = new URL(ctx.options.url);
      const otherPort = String(Number(port || (protocol === "https:" ? 443 : 80)) + 1);
      const origins = ["https://evil.example", `${protocol}//${hostname}:${otherPort}`, `${protocol}//${hostname}.evil.example${port ? `:${port}` : ""}`];
      for (const overrides of [...origins.map((origin) => ({ origin })), { rpId: "evil.example" }, { rpId: `${hostname}.evil.example` }]) {
        const assertion = await user.authenticator.get(await passkeySigninOptions(ctx), overrides);
        expectRefused(await signinWithPasskey(ctx, assertion), "PASSKEY_INVALID", `an assertion with ${JSON.stringify(overrides)}`);
      }
      authPayloadOf(await signinWithPasskey(ctx, await user.authenticator.get(await passkeySigninOptions(ctx))));
    },
  },
  {
    name: "a second-step challenge (with mfaToken) does not sign in usernameless, nor a usernameless one answer the second step",
    run: async (ctx) => {
      const user = await registerPasskeyUser(ctx);
      const mfaToken = await startPasskeySignin(ctx, user);
      const secondStep = await user.authenticator.get(await passkeySigninOptions(ctx, mfaToken));
      // The second step's challenge proves a passkey after a password, for that sign-in only.
      expectRefused(await signinWithPasskey(ctx, secondStep), "PASSKEY_INVALID", "a second-step challenge at signinWithPasskey");
      const usernameless = await user.authenticator.get(await passkeySigninOptions(ctx));
      expectRefused(await verifyWithPasskey(ctx, mfaToken, usernameless), "SECOND_FACTOR_INVALID", "a usernameless challenge at verifySecondFactor");
      // Both refusals were about the challenge: the second step's own answer goes through.
      const session = authPayloadOf(await verifyWithPasskey(ctx, mfaToken, await user.authenticator.get(await passkeySigninOptions(ctx, mfaToken))));
      await expectTokenAccepted(ctx, session.accessToken, user.id);
    },
  },
  {
    name: "another account's passkey at the second step is SECOND_FACTOR_INVALID",
    run: async (ctx) => {
      const [ada, grace] = await Promise.all([registerPasskeyUser(ctx), registerPasskeyUser(ctx)]);
      const mfaToken = await startPasskeySignin(ctx, ada);
      // Grace's key, signing a challenge issued for Ada's sign-in (which does not list it).
      const foreign = await grace.authenticator.get(await passkeySigninOptions(ctx, mfaToken), { credentialId: grace.credentialId });
      expectRefused(await verifyWithPasskey(ctx, mfaToken, foreign), "SECOND_FACTOR_INVALID", "another account's passkey");
      const session = authPayloadOf(await verifyWithPasskey(ctx, mfaToken, await ada.authenticator.get(await passkeySigninOptions(ctx, mfaToken))));
      if (session.user.id !== ada.id) fail(`the second step signed in ${session.user.id}, expected ${ada.id}`);
    },
  },
  {
    name: `a passkey challenge expires after ${CHALLENGE_TTL / 60} minutes: PASSKEY_INVALID`,
    needs: ["passkey-challenge-expiry"],
    run: async (ctx) => {
      const user = await registerPasskeyUser(ctx);
      const request = await passkeySigninOptions(ctx);
      await new Promise((resolve) => setTimeout(resolve, (CHALLENGE_TTL + 2) * 1000));
      expectRefused(await signinWithPasskey(ctx, await user.authenticator.get(request)), "PASSKEY_INVALID", "an expired challenge");
      authPayloadOf(await signinWithPasskey(ctx, await user.authenticator.get(await passkeySigninOptions(ctx))));
    },
  },
]);
