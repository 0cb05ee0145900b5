import type { SigninAttempt } from "../throttling/throttle.ts";
import { secondFactorInvalid } from "./second-step.ts";

/**
 * Runs one proof of a second factor (a code, a passkey assertion) on the account's
 * second-factor counter: a proof that fails counts, one that throws gives its place back, and
 * `SECOND_FACTOR_INVALID` answers a failure. `prove` answers `null` when the factor was wrong;
 * its transaction commits either way, so a used-up code or challenge stays used.
 *
 * @example const used = await proveSecondFactor(throttle, userId, () => db.transaction((tx) => factors.use(tx, request)));
 */
export async function proveSecondFactor<T>(
  throttle: { beginSecondFactor(userId: string): Promise<SigninAttempt> },
  userId: string,
  prove: () => Promise<T | null>,
): Promise<T> {
  const attempt = await throttle.beginSecondFactor(userId);
  let outcome: T | null;
  try {
    outcome = await prove();
  } catch (error) {
    await attempt.abandon();
    throw error;
  }
  if (outcome === null) {
    await attempt.failed();
    throw secondFactorInvalid();
  }
  await attempt.succeeded();
  return outcome;
}
