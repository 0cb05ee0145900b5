import type { ConformanceContext } from "../context.ts";
import { type Authenticator, createAuthenticator } from "./authenticator.ts";
import { describe, fail } from "./expect.ts";
import { decodeJWT } from "./forge.ts";
import { isRecord } from "./json.ts";
import { resultOf } from "./payloads.ts";
import { expectUnauthorized } from "./probe.ts";
import type { ApiResponse } from "./trpc-http.ts";
import { registerUser, type TestUser } from "./users.ts";

/** `amr` (RFC 8176) after a password and a TOTP code. */
export const TOTP_AMR = ["pwd", "otp", "mfa"] as const;
/** `amr` after a password and a recovery code: two factors, but no device-generated code. */
export const RECOVERY_CODE_AMR = ["pwd", "mfa"] as const;
/** `amr` after a password alone (registration, a sign-in without TOTP). */
export const PASSWORD_AMR = ["pwd"] as const;

/** A new account with TOTP on: its registration session, its authenticator and its recovery codes. */
export interface TOTPUser extends TestUser {
  app: Authenticator;
  recoveryCodes: string[];
}

/** A second step answered: a TOTP code, or a recovery code. */
export type SecondFactor = { code: string } | { recoveryCode: string };

function stringArrayOf(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === "string")) {
    return fail(`expected ${what} to be an array of strings, got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Registers an account and turns TOTP on through `account.totpSetup` and `account.totpEnable`,
 * as a person with an authenticator app would. Its registration session keeps `amr` ["pwd"].
 *
 * @example const alice = await registerTOTPUser(ctx);
 */
export async function registerTOTPUser(ctx: ConformanceContext): Promise<TOTPUser> {
  const user = await registerUser(ctx);
  const token = user.accessToken;
  const setup = resultOf(await ctx.api.mutation("account.totpSetup", { password: user.password }, { token }));
  if (!isRecord(setup) || typeof setup.secret !== "string") return fail(`account.totpSetup answered no secret: ${JSON.stringify(setup)}`);
  const app = createAuthenticator(setup.secret);
  const enabled = resultOf(await ctx.api.mutation("account.totpEnable", { code: await app.nextCode() }, { token }));
  const recoveryCodes = stringArrayOf(isRecord(enabled) ? enabled.recoveryCodes : undefined, "account.totpEnable's recoveryCodes");
  if (recoveryCodes.length === 0) fail("account.totpEnable answered no recovery codes");
  return { ...user, app, recoveryCodes };
}

/**
 * The `mfaToken` of a sign-in (or reset) that answered its second step; fails the case unless the
 * answer is `{ mfaRequired: true, mfaToken, methods }` with no token in the body and no cookie.
 *
 * @example const mfaToken = mfaTokenOf(await ctx.api.mutation("auth.signin", credentials));
 */
export function mfaTokenOf(response: ApiResponse): string {
  const data = resultOf(response);
  if (!isRecord(data) || data.mfaRequired !== true || typeof data.mfaToken !== "string") {
    return fail(`expected { mfaRequired: true, mfaToken }, got ${describe(response)}`);
  }
  const methods = stringArrayOf(data.methods, "methods");
  if (!methods.includes("totp") || !methods.includes("recovery_code")) fail(`expected methods totp and recovery_code, got ${JSON.stringify(methods)}`);
  for (const key of ["accessToken", "refreshToken"]) if (key in data) fail(`the second step's answer carries ${key}: ${describe(response)}`);
  const cookie = response.headers.get("set-cookie");
  if (cookie !== null) fail(`the second step's answer sets a cookie: ${cookie}`);
  return data.mfaToken;
}

/**
 * Signs `user` in with the password alone; fails unless the server asks for the second step.
 *
 * @example const mfaToken = await startSignin(ctx, alice);
 */
export async function startSignin(ctx: ConformanceContext, user: { email: string; password: string }): Promise<string> {
  return mfaTokenOf(await ctx.api.mutation("auth.signin", { email: user.email, password: user.password }));
}

/** POST auth.verifySecondFactor. */
export function verifySecondFactor(ctx: ConformanceContext, mfaToken: string, factor: SecondFactor): Promise<ApiResponse> {
  return ctx.api.mutation("auth.verifySecondFactor", { mfaToken, ...factor });
}

/**
 * Fails unless the response is a 401 with `authCode` (the second step's refusals, and the
 * sensitive changes' with a valid bearer token, carry no token challenge to check).
 *
 * @example expectRefused(await verifySecondFactor(ctx, mfaToken, { code }), "SECOND_FACTOR_INVALID");
 */
export function expectRefused(response: ApiResponse, authCode: string, what = "the call"): void {
  try {
    expectUnauthorized(response, { authCode, challenge: "unchecked" });
  } catch (error) {
    fail(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Fails unless the access token's `amr` is exactly `expected`, in any order.
 *
 * @example expectAMR(accessToken, TOTP_AMR);
 */
export function expectAMR(accessToken: string, expected: readonly string[], what = "the access token"): void {
  const amr = decodeJWT(accessToken).payload.amr;
  const actual = Array.isArray(amr) ? amr.map(String).sort() : null;
  if (actual === null || JSON.stringify(actual) !== JSON.stringify([...expected].sort())) {
    fail(`expected ${what} to carry amr ${JSON.stringify(expected)}, got ${JSON.stringify(amr)}`);
  }
}
