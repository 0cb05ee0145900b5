/**
 * The second step of a sign-in: `verifySecondFactor` answers an `mfaToken` with a TOTP or a
 * recovery code and opens the session, with the `amr` of what was shown.
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
import type { OpenedSession } from "../sessions/session-store.ts";
import type { SigninAttempt } from "../throttling/throttle.ts";
import type { AuthResult, ClientInfo, User } from "../types.ts";
import { type AMR, RECOVERY_CODE_AMR, TOTP_AMR } from "../amr.ts";
import type { FactorStore, FactorUse, SecondFactorMethod } from "./factor-store.ts";
import type { MFAChallenges } from "./mfa-challenges.ts";
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
  openSession(tx: Tx, owner: { userId: string; credentialVersion: number; amr: readonly AMR[] }, client: ClientInfo): Promise<OpenedSession>;
  result(user: User, opened: OpenedSession): Promise<AuthResult>;
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

  function answer(token: string, code: { code?: string | undefined; recoveryCode?: string | undefined }, client: ClientInfo): Promise<Answer> {
    return db.transaction(async (tx): Promise<Answer> => {
      const challenge = await challenges.open(tx, token, client);
      if (!challenge) return { kind: "invalid_token" };
      const used = await factors.use(tx, {
        userId: challenge.userId,
        code: code.code ?? code.recoveryCode ?? "",
        methods: code.code !== undefined ? ["totp"] : ["recovery_code"],
      });
      if (!used) {
        // Committed with the answer: the count must survive the refusal.
        await challenges.failed(tx, challenge.id);
        return { kind: "wrong_code" };
      }
      await challenges.used(tx, challenge.id);
      const [user] = await tx.select(userColumns).from(users).where(eq(users.id, challenge.userId));
      if (!user) return { kind: "invalid_token" };
      const amr = used.method === "totp" ? TOTP_AMR : RECOVERY_CODE_AMR;
      const owner = { userId: challenge.userId, credentialVersion: challenge.credentialVersion, amr };
      return { kind: "signed_in", user: toUser(user), opened: await deps.openSession(tx, owner, client), used };
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
