import type { AppRouter } from "@bearer-kit/api";
import type { TRPCClient } from "@trpc/client";
import type { SessionTransitions } from "../session/session-transitions.ts";
import type { SecondFactorInput, SessionUser } from "../transport/router-types.ts";

/**
 * Answers a second-factor challenge (from `signIn`, or from `auth.resetPassword`) with a TOTP
 * `code`, a `recoveryCode`, or a `passkey` (answering `passkeySigninOptions({ mfaToken })`);
 * resolves with the user, or `null` when a sign-out of this browser won the race.
 *
 * @example const user = await verifySecondFactor({ mfaToken, code: "123456" });
 */
export type VerifySecondFactor = (input: SecondFactorInput) => Promise<SessionUser | null>;

/**
 * `auth.verifySecondFactor` through `client`; the session it opens is this tab's and the others'.
 * Rejects with the tRPC error: `SECOND_FACTOR_INVALID` (wrong or used code, or another account's
 * passkey: the challenge stays open), `MFA_TOKEN_INVALID` (expired, used or out of attempts: sign
 * in again), `RATE_LIMITED`.
 *
 * @example const verifySecondFactor = createVerifySecondFactor({ client, transitions });
 */
export function createVerifySecondFactor(parts: { client: TRPCClient<AppRouter>; transitions: SessionTransitions }): VerifySecondFactor {
  const { client, transitions } = parts;
  return async (input) => {
    const payload = await client.auth.verifySecondFactor.mutate(input);
    // Stamped on arrival, as a sign-in is: the server opened this session just now, cookie included.
    return transitions.startSession(payload, { startedAt: Date.now() }) ? payload.user : null;
  };
}
