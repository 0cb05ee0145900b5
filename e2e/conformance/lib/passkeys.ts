// Under tsx (`pnpm conformance`) this import reads the TypeScript source; under Playwright, which
// sets no source condition, packages/auth/dist: turbo.json builds @bearer-kit/auth before e2e's tests.
import { createSoftAuthenticator, type SoftAuthenticator } from "@bearer-kit/auth/testing";
import type { ConformanceContext } from "../context.ts";
import { describe, fail } from "./expect.ts";
import { isRecord } from "./json.ts";
import { resultOf } from "./payloads.ts";
import type { ApiResponse } from "./trpc-http.ts";
import { registerUser, type TestUser } from "./users.ts";

/** `amr` (RFC 8176) after a device-bound passkey: a hardware-held key, a verified user, and two factors in one. */
export const DEVICE_PASSKEY_AMR = ["hwk", "user", "mfa"] as const;
/** `amr` after a synced (backed-up) passkey: the key lives in software that copies it between devices. */
export const SYNCED_PASSKEY_AMR = ["swk", "user", "mfa"] as const;

/** What `auth.passkeySigninOptions` answers, as the soft authenticator takes it. */
export type PasskeyRequestOptions = Parameters<SoftAuthenticator["get"]>[0];
/** An assertion, as `auth.signinWithPasskey` and `auth.verifySecondFactor` take it. */
export type PasskeyAssertion = Awaited<ReturnType<SoftAuthenticator["get"]>>;

/** Creation or request options as far as the suite checks them: an object with a challenge. */
function hasChallenge(value: unknown): value is { challenge: string } {
  return isRecord(value) && typeof value.challenge === "string";
}

/** A new account with one passkey, held by its own soft authenticator. */
export interface PasskeyUser extends TestUser {
  authenticator: SoftAuthenticator;
  /** The passkey's credential id (base64url). */
  credentialId: string;
}

/**
 * Registers an account and adds a passkey through `account.passkeyRegistrationOptions` and
 * `account.addPasskey`, as a browser would, with an authenticator answering for the deployment's
 * origin (`--url`; its rpID is that host, as APP_URL makes it).
 *
 * @example const ada = await registerPasskeyUser(ctx, { synced: true });
 */
export async function registerPasskeyUser(ctx: ConformanceContext, options: { synced?: boolean } = {}): Promise<PasskeyUser> {
  const user = await registerUser(ctx);
  const token = user.accessToken;
  const authenticator = createSoftAuthenticator({ origin: ctx.options.url, backupEligible: options.synced ?? false });
  const creation = resultOf(await ctx.api.mutation("account.passkeyRegistrationOptions", { password: user.password }, { token }));
  if (!hasChallenge(creation)) {
    return fail(`account.passkeyRegistrationOptions answered no challenge: ${JSON.stringify(creation)}`);
  }
  const response = await authenticator.create(creation as Parameters<SoftAuthenticator["create"]>[0]);
  const added = resultOf(await ctx.api.mutation("account.addPasskey", { response, name: "Conformance key" }, { token }));
  if (!isRecord(added) || !isRecord(added.passkey) || added.passkey.id !== response.id) {
    return fail(`account.addPasskey did not answer the passkey ${response.id}: ${JSON.stringify(added)}`);
  }
  return { ...user, authenticator, credentialId: response.id };
}

/**
 * Fresh request options from `auth.passkeySigninOptions`: usernameless without `mfaToken`, the
 * account's passkeys for the second step with it.
 *
 * @example const request = await passkeySigninOptions(ctx); // allowCredentials: []
 */
export async function passkeySigninOptions(ctx: ConformanceContext, mfaToken?: string): Promise<PasskeyRequestOptions> {
  const input = mfaToken === undefined ? {} : { mfaToken };
  const options = resultOf(await ctx.api.mutation("auth.passkeySigninOptions", input));
  if (!hasChallenge(options)) {
    return fail(`auth.passkeySigninOptions answered no challenge: ${JSON.stringify(options)}`);
  }
  return options as PasskeyRequestOptions;
}

/** POST auth.signinWithPasskey. */
export function signinWithPasskey(ctx: ConformanceContext, response: PasskeyAssertion): Promise<ApiResponse> {
  return ctx.api.mutation("auth.signinWithPasskey", { response });
}

/** POST auth.verifySecondFactor with a passkey assertion. */
export function verifyWithPasskey(ctx: ConformanceContext, mfaToken: string, passkey: PasskeyAssertion): Promise<ApiResponse> {
  return ctx.api.mutation("auth.verifySecondFactor", { mfaToken, passkey });
}

/**
 * Signs a passkey account in with its password; fails unless the server asks for the second step
 * with "passkey" among the methods, and answers its `mfaToken`.
 *
 * @example const mfaToken = await startPasskeySignin(ctx, ada);
 */
export async function startPasskeySignin(ctx: ConformanceContext, user: { email: string; password: string }): Promise<string> {
  const response = await ctx.api.mutation("auth.signin", { email: user.email, password: user.password });
  const data = resultOf(response);
  if (!isRecord(data) || data.mfaRequired !== true || typeof data.mfaToken !== "string") {
    return fail(`expected a password sign-in of a passkey account to answer { mfaRequired: true, mfaToken }, got ${describe(response)}`);
  }
  if (!Array.isArray(data.methods) || !data.methods.includes("passkey")) fail(`expected methods to include "passkey", got ${JSON.stringify(data.methods)}`);
  return data.mfaToken;
}
