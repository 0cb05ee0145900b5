/**
 * A passkey as the second step after a password: the assertion must answer a challenge issued
 * for this very `mfaToken` (`passkeySigninOptions({ mfaToken })`), and be made by a passkey of
 * the user whose password was checked. Another user's passkey, or a challenge of another
 * ceremony, proves nothing and counts as a wrong code.
 */
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import type { AuthConfig } from "../config/options.ts";
import type { Tx } from "../database/rows.ts";
import type { OpenChallenge } from "../second-factors/mfa-challenges.ts";
import type { AuthenticationResponseInput } from "../second-factors/second-factor-input.ts";
import type { PasskeyStore } from "./passkey-store.ts";
import { answerChallenge } from "./passkey-signin.ts";
import type { WebAuthnChallenges } from "./webauthn-challenges.ts";

/**
 * @example const answerWithPasskey = createPasskeySecondStep({ config, store, challenges }); // for createSecondStep
 */
export function createPasskeySecondStep(deps: { config: AuthConfig; store: PasskeyStore; challenges: WebAuthnChallenges }) {
  return async function answerWithPasskey(tx: Tx, challenge: OpenChallenge, response: AuthenticationResponseInput): Promise<{ synced: boolean } | null> {
    const answer = await answerChallenge(deps, tx, { response: response as AuthenticationResponseJSON, purpose: "second_step", owner: challenge.userId });
    // Bound to this sign-in attempt: a challenge of another mfaToken (even the same user's) is refused.
    if (!answer.ok || answer.consumed.mfaChallengeId !== challenge.id || answer.consumed.userId !== challenge.userId) return null;
    return { synced: answer.passkey.backupEligible };
  };
}
