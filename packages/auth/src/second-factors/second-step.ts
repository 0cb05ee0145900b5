/**
 * The second step of a sign-in: `verifySecondFactor` answers an `mfaToken` with a TOTP, a
 * recovery code or a passkey assertion, and opens the session, with the `amr` of what was shown.
 *
 * Guessing is bounded twice: a token dies after `maxFailures` wrong codes (5), and wrong codes
 * count per account (10 per AUTH_SIGNIN_WINDOW by default) on the sign-in throttle's counters,
 * whatever token or session they came with, so fresh tokens buy no more guesses.
 */
import { eq } from "drizzle-orm";
import { AuthError } from "../errors.ts";
import { cleanClientInfo } from "../throttling/client-info.ts";
import { toUser, type Tx, userColumns } from "../database/rows.ts";
import { parseInput } from "../input.ts";
import type { AuthConfig } from "../config/options.ts";
import { users } from "../database/schema.ts";
import type { OpenedSession, SigninOwner } from "../sessions/session-store.ts";
import type { SigninAttempt } from "../throttling/throttle.ts";
import type { AuthResult, ClientInfo, User } from "../types.ts";
import { type AMR, passkeyAMR, RECOVERY_CODE_AMR, TOTP_AMR } from "../amr.ts";
import type { FactorStore, FactorUse, SecondFactorMethod } from "./factor-store.ts";
import type { MFAChallenges, OpenChallenge } from "./mfa-challenges.ts";
import { verifySecondFactorInputSchema, type VerifySecondFactorInput } from "./second-factor-input.ts";

/** Counts wrong codes per account; see `SigninThrottle.beginSecondFactor`. */
export interface SecondFactorThrottle {
  beginSecondFactor(userId: string): Promise<SigninAttempt>;
}

/** The mail a second factor's use or change sends to the owner. */
export interface SecondFactorMail {
  totpEnabled(to: string): void;
  totpDisabled(to: string): void;
  recoveryCodesRegenerated(to: string): void;
  recoveryCodeUsed(to: string, left: number): void;
}

/**
 * What a sign-in (or a password reset) answers: the session, or, for an account with TOTP on,
 * the token of its second step and the ways to answer it.
 */
/** A sign-in whose password matched on an account with a second factor: the token, and the ways to answer it. */
export interface PendingSecondStep {
  mfaToken: string;
  methods: readonly SecondFactorMethod[];
}

export type SigninStep =
  | { mfaRequired: false; result: AuthResult }
  | { mfaRequired: true; mfaToken: string; methods: readonly SecondFactorMethod[] };

export const mfaRequired = (): AuthError =>
  new AuthError("MFA_REQUIRED", "This account uses two-step verification: sign in with the two-step form.");

export const secondFactorInvalid = (): AuthError =>
  new AuthError("SECOND_FACTOR_INVALID", "The code is not valid.", { fieldErrors: { code: ["The code is not valid"] } });

export const mfaTokenInvalid = (): AuthError =>
  new AuthError("MFA_TOKEN_INVALID", "This sign-in attempt has expired or is not valid; sign in again.");

interface Deps {
  config: AuthConfig;
  factors: FactorStore;
  challenges: MFAChallenges;
  throttle: SecondFactorThrottle;
  mail: SecondFactorMail;
  openSession(tx: Tx, owner: SigninOwner, client: ClientInfo): Promise<OpenedSession>;
  result(user: User, opened: OpenedSession): Promise<AuthResult>;
  /**
   * Checks a passkey assertion against a challenge issued for this second step, made by one of
   * the challenge's user's passkeys, in the answer's transaction; `null` when it is not one.
   * Supplied by passkeys/, which sits above this folder.
   */
  answerWithPasskey(tx: Tx, challenge: OpenChallenge, response: NonNullable<VerifySecondFactorInput["passkey"]>): Promise<{ synced: boolean } | null>;
}

type Answer =
  | { kind: "invalid_token" }
  | { kind: "wrong_code" }
  | { kind: "signed_in"; user: User; opened: OpenedSession; used: FactorUse };

/**
 * @example
 * const step = await auth.signinOrChallenge({ email, password });
 * if (step.mfaRequired) await auth.verifySecondFactor({ mfaToken: step.mfaToken, code: "123456" });
 */
export function createSecondStep(deps: Deps): (input: VerifySecondFactorInput, client?: ClientInfo) => Promise<AuthResult> {
  const { config, factors, challenges } = deps;
  const { db } = config;

  /** What the answer proved, with its `amr`; `null` when it proved nothing. */
  async function prove(tx: Tx, challenge: OpenChallenge, code: Omit<VerifySecondFactorInput, "mfaToken">): Promise<{ used: FactorUse; amr: readonly AMR[] } | null> {
    if (code.passkey !== undefined) {
      const passkey = await deps.answerWithPasskey(tx, challenge, code.passkey);
      return passkey && { used: { method: "passkey" }, amr: passkeyAMR({ synced: passkey.synced, afterPassword: true }) };
    }
    const used = await factors.use(tx, {
      userId: challenge.userId,
      code: code.code ?? code.recoveryCode ?? "",
      methods: code.code !== undefined ? ["totp"] : ["recovery_code"],
    });
    return used && { used, amr: used.method === "totp" ? TOTP_AMR : RECOVERY_CODE_AMR };
  }

  function answer(token: string, code: Omit<VerifySecondFactorInput, "mfaToken">, client: ClientInfo): Promise<Answer> {
    return db.transaction(async (tx): Promise<Answer> => {
      const challenge = await challenges.open(tx, token, client);
      if (!challenge) return { kind: "invalid_token" };
      const proved = await prove(tx, challenge, code);
      if (!proved) {
        // Committed with the answer: the count must survive the refusal.
        await challenges.failed(tx, challenge.id);
        return { kind: "wrong_code" };
      }
      await challenges.used(tx, challenge.id);
      const [user] = await tx.select(userColumns).from(users).where(eq(users.id, challenge.userId));
      if (!user) return { kind: "invalid_token" };
      const owner = { userId: challenge.userId, credentialVersion: challenge.credentialVersion, amr: proved.amr, method: "second_factor" as const };
      return { kind: "signed_in", user: toUser(user), opened: await deps.openSession(tx, owner, client), used: proved.used };
    });
  }

  return async function verifySecondFactor(input, rawClient = {}) {
    const client = cleanClientInfo(rawClient);
    const { mfaToken, ...code } = parseInput(verifySecondFactorInputSchema, input);
    const userId = await challenges.owner(db, mfaToken);
    if (userId === null) throw mfaTokenInvalid();
    const attempt = await deps.throttle.beginSecondFactor(userId);
    let outcome: Answer;
    try {
      outcome = await answer(mfaToken, code, client);
    } catch (error) {
      await attempt.abandon();
      throw error;
    }
    switch (outcome.kind) {
      case "invalid_token":
        await attempt.abandon();
        throw mfaTokenInvalid();
      case "wrong_code":
        await attempt.failed();
        throw secondFactorInvalid();
      case "signed_in":
        await attempt.succeeded();
        if (outcome.used.method === "recovery_code") deps.mail.recoveryCodeUsed(outcome.user.email, outcome.used.left);
        return deps.result(outcome.user, outcome.opened);
    }
  };
}
