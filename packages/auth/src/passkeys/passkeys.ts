/**
 * Passkeys, wired: sign-in (alone or as a second step) and the signed-in user's management.
 * One store and one challenge table serve every ceremony.
 */
import type { AuthConfig } from "../config/options.ts";
import type { Tx } from "../database/rows.ts";
import type { Confirmed, Current } from "../passwords/confirm-password.ts";
import type { FactorStore } from "../second-factors/factor-store.ts";
import type { MFAChallenges } from "../second-factors/mfa-challenges.ts";
import type { CodeConfirmation } from "../second-factors/totp-enrolment.ts";
import type { OpenedSession, SigninOwner } from "../sessions/session-store.ts";
import type { SigninThrottle } from "../throttling/throttle.ts";
import type { AuthResult, ClientInfo, User } from "../types.ts";
import { createPasskeyManagement, type PasskeyMail, type PasskeyManagement } from "./passkey-management.ts";
import { createPasskeySecondStep } from "./passkey-second-step.ts";
import { createPasskeySignin, type PasskeySignin } from "./passkey-signin.ts";
import { createPasskeyStore } from "./passkey-store.ts";
import { createWebAuthnChallenges } from "./webauthn-challenges.ts";

interface Deps {
  config: AuthConfig;
  factors: FactorStore;
  mfa: MFAChallenges;
  codes: CodeConfirmation;
  throttle: SigninThrottle;
  mail: PasskeyMail;
  confirmPassword(current: Current, password: string, client: ClientInfo): Promise<Confirmed>;
  raiseKeepingSessions(tx: Tx, userId: string): Promise<void>;
  openSession(tx: Tx, owner: SigninOwner, client: ClientInfo): Promise<OpenedSession>;
  result(user: User, opened: OpenedSession): Promise<AuthResult>;
}

/** What `createAuth` takes from here: the procedures, and the second step's passkey answer. */
export interface Passkeys extends PasskeySignin, PasskeyManagement {
  answerWithPasskey: ReturnType<typeof createPasskeySecondStep>;
}

export function createPasskeys(deps: Deps): Passkeys {
  const store = createPasskeyStore();
  const challenges = createWebAuthnChallenges(deps.config);
  const shared = { config: deps.config, store, challenges };
  return {
    ...createPasskeySignin({ ...shared, mfa: deps.mfa, throttle: deps.throttle, openSession: deps.openSession, result: deps.result }),
    ...createPasskeyManagement({ ...shared, ...deps }),
    answerWithPasskey: createPasskeySecondStep(shared),
  };
}
