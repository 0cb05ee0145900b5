import type { AppRouter } from "@bearer-kit/api";
import type { TRPCClient } from "@trpc/client";
import type { PasskeyRequestOptions } from "../transport/router-types.ts";

/**
 * The challenge for a passkey sign-in: without `mfaToken`, any passkey of this site may answer
 * ("Sign in with a passkey", autofill); with the `mfaToken` of a second step, only that
 * account's passkeys.
 *
 * @example const optionsJSON = await passkeySigninOptions({ mfaToken: outcome.mfaToken });
 */
export type PasskeySigninOptions = (input?: { mfaToken?: string }) => Promise<PasskeyRequestOptions>;

/**
 * `auth.passkeySigninOptions` through `client`. Rejects with the tRPC error: `MFA_TOKEN_INVALID`
 * when the second step is over (sign in again), `RATE_LIMITED`.
 *
 * @example const passkeySigninOptions = createPasskeySigninOptions({ client });
 */
export function createPasskeySigninOptions(parts: { client: TRPCClient<AppRouter> }): PasskeySigninOptions {
  const { client } = parts;
  return (input = {}) => client.auth.passkeySigninOptions.mutate(input);
}
