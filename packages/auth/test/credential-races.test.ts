// Sign-ins racing a password change or reset: a sign-in that checked the old password while the
// change committed must not open a session that outlives the change, and its rehash of an
// outdated hash must never write the old password back over the new one.
import { describe, expect, it } from "vitest";
import type { Auth } from "../src/create-auth.ts";
import { OWASP_ARGON2ID } from "../src/config/options.ts";
import type { AuthResult } from "../src/types.ts";
import { codeOf } from "./codes.ts";
import { email, PASSWORD, useAuth } from "./fixture.ts";
import { useMail } from "./mail-fixture.ts";

// Several checks at once, so sign-ins really overlap the change instead of queueing behind it.
// The production hash cost, so each check takes long enough for the change to land during it.
const t = useAuth({
  throttle: { registerMaxPerIp: 100_000, maxFailures: 100, maxPerIp: 100_000 },
  hashing: { concurrency: 4 },
  passwordParams: OWASP_ARGON2ID,
});
const m = useMail(t);
const NEW_PASSWORD = "a brand new passphrase";
const RACERS = 12;

/**
 * An account whose hash was made with cheaper parameters than the service's, so every sign-in
 * below rehashes it: the write that once restored the old password.
 */
async function outdatedAccount(): Promise<{ address: string; owner: AuthResult }> {
  const address = email();
  const cheap = m.withOptions({ passwordParams: { memoryCost: 8192, timeCost: 1, parallelism: 1 } });
  const owner = await cheap.register({ email: address, password: PASSWORD, name: "Ann" });
  await m.smtp.take(address);
  return { address, owner };
}

/**
 * Starts half the sign-ins with the old password, then `change`, then the other half, and waits
 * for them all. Password checks queue first come, first served, so the change's own checks land
 * between sign-ins that read the account before it and finish after it.
 */
async function race(address: string, change: () => Promise<unknown>) {
  const signin = () => m.auth.signin({ email: address, password: PASSWORD });
  const before = Array.from({ length: RACERS / 2 }, signin);
  const changed = change();
  const after = Array.from({ length: RACERS / 2 }, signin);
  const outcomes = await Promise.allSettled([...before, ...after]);
  await changed;
  return outcomes;
}

/** Every sign-in either failed as a wrong password would, or got a session that is already over. */
async function expectNoneSurvived(auth: Auth, outcomes: PromiseSettledResult<AuthResult>[]): Promise<void> {
  for (const outcome of outcomes) {
    if (outcome.status === "rejected") {
      expect(await codeOf(Promise.reject(outcome.reason))).toBe("INVALID_CREDENTIALS");
      continue;
    }
    expect(await auth.checkBearerToken(outcome.value.accessToken)).toBeNull();
    expect(await codeOf(auth.refresh(outcome.value.refreshToken))).toBe("SESSION_REVOKED");
  }
}

async function expectOnlyNewPassword(address: string): Promise<void> {
  expect(await codeOf(m.auth.signin({ email: address, password: PASSWORD }))).toBe("INVALID_CREDENTIALS");
  await expect(m.auth.signin({ email: address, password: NEW_PASSWORD })).resolves.toBeDefined();
}

describe(`${RACERS} sign-ins with the old password racing a credential change`, () => {
  it("a password change: no session of theirs survives, and the new password stays", async () => {
    const { address, owner } = await outdatedAccount();
    const outcomes = await race(address, () => m.auth.changePassword(owner, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }));

    await expectNoneSurvived(m.auth, outcomes);
    const live = await m.auth.listSessions(owner.user.id);
    expect(live.map((session) => session.id)).toEqual([owner.session.id]);
    await expectOnlyNewPassword(address);
  });

  it("a password reset: only the reset's own session survives, and the new password stays", async () => {
    const { address, owner } = await outdatedAccount();
    await m.auth.requestPasswordReset({ email: address });
    const token = (await m.smtp.take(address)).token ?? "";
    let reset: AuthResult | undefined;
    const outcomes = await race(address, async () => {
      reset = await m.auth.resetPassword({ token, password: NEW_PASSWORD });
    });

    await expectNoneSurvived(m.auth, outcomes);
    const live = await m.auth.listSessions(owner.user.id);
    expect(live.map((session) => session.id)).toEqual([reset?.session.id]);
    await expectOnlyNewPassword(address);
  });
});
