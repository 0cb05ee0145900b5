import type { Auth } from "../../src/create-auth.ts";
import { totpCode } from "../../src/second-factors/totp.ts";
import { TOTP_PERIOD } from "../../src/second-factors/totp.ts";
import { email, type Fixture, PASSWORD } from "../fixture.ts";
import type { MailFixture } from "../mail-fixture.ts";

export const CLIENT = { ipAddress: "203.0.113.7", userAgent: "test" };

/** The code the owner's app shows now; the clock first moves one step on, so it is never the step used last. */
export function nextCode(t: Fixture, secret: string): string {
  t.clock.advance(TOTP_PERIOD);
  return totpCode(secret, t.clock.now());
}

/**
 * A registered account with TOTP on: its first session (`current`), the secret the app holds,
 * and its 10 recovery codes. The mails so far (verification, "on") are taken.
 */
export async function enrolledAccount(t: Fixture, m: MailFixture, auth: Auth = m.auth) {
  const address = email("totp");
  const first = await auth.register({ email: address, password: PASSWORD, name: "Ann" }, CLIENT);
  await m.smtp.take(address); // the verification mail
  const current = { user: first.user, session: first.session };
  const { secret, otpauthUrl } = await auth.totpSetup(current, { password: PASSWORD }, CLIENT);
  const { recoveryCodes } = await auth.totpEnable(current, { code: totpCode(secret, t.clock.now()) });
  await m.smtp.take(address); // "two-step verification is on"
  return { address, first, current, secret, otpauthUrl, recoveryCodes };
}

/** Signs in with the password and answers the second step with a fresh TOTP code. */
export async function signinWithCode(t: Fixture, account: { address: string; secret: string }, auth: Auth) {
  const step = await auth.signinOrChallenge({ email: account.address, password: PASSWORD }, CLIENT);
  if (!step.mfaRequired) throw new Error("expected a second step");
  return auth.verifySecondFactor({ mfaToken: step.mfaToken, code: nextCode(t, account.secret) }, CLIENT);
}
