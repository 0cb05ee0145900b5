// Sign-in with TOTP on: the password answers an mfaToken, and only a second factor opens a session.
import { eq } from "drizzle-orm";
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { mfaChallenges } from "../../src/database/schema.ts";
import { hashMFAToken } from "../../src/second-factors/mfa-token.ts";
import { TOTP_PERIOD, totpCode } from "../../src/second-factors/totp.ts";
import { codeOf } from "../codes.ts";
import { PASSWORD, useAuth } from "../fixture.ts";
import { useMail } from "../mail-fixture.ts";
import { CLIENT, enrolledAccount, nextCode } from "./two-factor-fixture.ts";

const t = useAuth({ throttle: { registerMaxPerIp: 100_000 } });
const m = useMail(t);

async function challenged(account: { address: string }, client = CLIENT): Promise<string> {
  const step = await m.auth.signinOrChallenge({ email: account.address, password: PASSWORD }, client);
  if (!step.mfaRequired) throw new Error("expected a second step");
  expect(step).toEqual({ mfaRequired: true, mfaToken: expect.stringMatching(/^mfa_[A-Za-z0-9_-]{43}$/), methods: ["totp", "recovery_code"] });
  return step.mfaToken;
}

describe("sign-in with TOTP on", () => {
  it("answers mfaRequired and an mfaToken, with no session opened", async () => {
    const account = await enrolledAccount(t, m);
    const before = (await m.auth.listSessions(account.current.user.id)).length;
    await challenged(account);
    expect((await m.auth.listSessions(account.current.user.id)).length).toBe(before);
  });

  it("signin (the one-step form) refuses with MFA_REQUIRED", async () => {
    const account = await enrolledAccount(t, m);
    expect(await codeOf(m.auth.signin({ email: account.address, password: PASSWORD }, CLIENT))).toBe("MFA_REQUIRED");
  });

  it("a wrong password still answers INVALID_CREDENTIALS, with no token", async () => {
    const account = await enrolledAccount(t, m);
    expect(await codeOf(m.auth.signinOrChallenge({ email: account.address, password: "not it at all" }, CLIENT))).toBe("INVALID_CREDENTIALS");
  });

  it("a TOTP code opens the session, with amr pwd, otp, mfa on the token and the session", async () => {
    const account = await enrolledAccount(t, m);
    const mfaToken = await challenged(account);
    const result = await m.auth.verifySecondFactor({ mfaToken, code: nextCode(t, account.secret) }, CLIENT);
    expect(result.user.email).toBe(account.address);
    expect(result.session.amr).toEqual(["pwd", "otp", "mfa"]);
    expect(decodeJwt(result.accessToken).amr).toEqual(["pwd", "otp", "mfa"]);
    expect(await m.auth.checkBearerToken(result.accessToken)).toMatchObject({ id: account.current.user.id, amr: ["pwd", "otp", "mfa"] });
    expect((await m.auth.verifyBearerToken(result.accessToken)).session.amr).toEqual(["pwd", "otp", "mfa"]);
  });

  it("a recovery code opens the session with amr pwd, mfa, works once, and mails how many are left", async () => {
    const account = await enrolledAccount(t, m);
    const code = account.recoveryCodes[3] ?? "";
    const result = await m.auth.verifySecondFactor({ mfaToken: await challenged(account), recoveryCode: code.toLowerCase() }, CLIENT);
    expect(decodeJwt(result.accessToken).amr).toEqual(["pwd", "mfa"]);
    const mail = await m.smtp.take(account.address);
    expect(mail.subject).toBe("A recovery code was used");
    expect(mail.text).toContain("9 recovery codes left");
    expect(await m.auth.twoFactorStatus(account.current.user.id)).toEqual({ totp: true, recoveryCodesLeft: 9, passkeys: 0 });

    expect(await codeOf(m.auth.verifySecondFactor({ mfaToken: await challenged(account), recoveryCode: code }, CLIENT))).toBe(
      "SECOND_FACTOR_INVALID",
    );
  });

  it("a code goes with its field: a recovery code is not a TOTP code, nor the other way round", async () => {
    const account = await enrolledAccount(t, m);
    const mfaToken = await challenged(account);
    expect(await codeOf(m.auth.verifySecondFactor({ mfaToken, code: account.recoveryCodes[0] ?? "" }, CLIENT))).toBe("SECOND_FACTOR_INVALID");
    expect(await codeOf(m.auth.verifySecondFactor({ mfaToken, recoveryCode: nextCode(t, account.secret) }, CLIENT))).toBe(
      "SECOND_FACTOR_INVALID",
    );
    expect(await codeOf(m.auth.verifySecondFactor({ mfaToken } as never, CLIENT))).toBe("INVALID_INPUT");
  });

  it("refresh keeps the amr it had, and never upgrades it", async () => {
    const account = await enrolledAccount(t, m);
    const withCode = await m.auth.verifySecondFactor({ mfaToken: await challenged(account), code: nextCode(t, account.secret) }, CLIENT);
    const refreshed = await m.auth.refresh(withCode.refreshToken);
    expect(decodeJwt(refreshed.accessToken).amr).toEqual(["pwd", "otp", "mfa"]);
    // The session from before TOTP was on stays a password session.
    const old = await m.auth.refresh(account.first.refreshToken);
    expect(decodeJwt(old.accessToken).amr).toEqual(["pwd"]);
    expect(old.session.amr).toEqual(["pwd"]);
  });
});

describe("TOTP codes", () => {
  it("a code is accepted once: the same step again, or an earlier one, is refused (replay)", async () => {
    const account = await enrolledAccount(t, m);
    const code = nextCode(t, account.secret);
    await m.auth.verifySecondFactor({ mfaToken: await challenged(account), code }, CLIENT);
    expect(await codeOf(m.auth.verifySecondFactor({ mfaToken: await challenged(account), code }, CLIENT))).toBe("SECOND_FACTOR_INVALID");
    const earlier = totpCode(account.secret, new Date(t.clock.now().getTime() - TOTP_PERIOD * 1000));
    expect(await codeOf(m.auth.verifySecondFactor({ mfaToken: await challenged(account), code: earlier }, CLIENT))).toBe(
      "SECOND_FACTOR_INVALID",
    );
  });

  it("one step of drift either side is accepted, two are not", async () => {
    const account = await enrolledAccount(t, m);
    t.clock.advance(10 * TOTP_PERIOD);
    const at = (steps: number) => totpCode(account.secret, new Date(t.clock.now().getTime() + steps * TOTP_PERIOD * 1000));
    expect(await codeOf(m.auth.verifySecondFactor({ mfaToken: await challenged(account), code: at(-2) }, CLIENT))).toBe("SECOND_FACTOR_INVALID");
    await expect(m.auth.verifySecondFactor({ mfaToken: await challenged(account), code: at(-1) }, CLIENT)).resolves.toBeDefined();
    await expect(m.auth.verifySecondFactor({ mfaToken: await challenged(account), code: at(1) }, CLIENT)).resolves.toBeDefined();
    expect(await codeOf(m.auth.verifySecondFactor({ mfaToken: await challenged(account), code: at(2) }, CLIENT))).toBe("SECOND_FACTOR_INVALID");
  });
});

describe("the mfaToken", () => {
  it("an unknown or malformed token is MFA_TOKEN_INVALID", async () => {
    const account = await enrolledAccount(t, m);
    const code = nextCode(t, account.secret);
    expect(await codeOf(m.auth.verifySecondFactor({ mfaToken: `mfa_${"A".repeat(43)}`, code }, CLIENT))).toBe("MFA_TOKEN_INVALID");
    expect(await codeOf(m.auth.verifySecondFactor({ mfaToken: "junk", code }, CLIENT))).toBe("MFA_TOKEN_INVALID");
  });

  it("works once", async () => {
    const account = await enrolledAccount(t, m);
    const mfaToken = await challenged(account);
    await m.auth.verifySecondFactor({ mfaToken, code: nextCode(t, account.secret) }, CLIENT);
    expect(await codeOf(m.auth.verifySecondFactor({ mfaToken, code: nextCode(t, account.secret) }, CLIENT))).toBe("MFA_TOKEN_INVALID");
  });

  it("lives 5 minutes", async () => {
    const account = await enrolledAccount(t, m);
    const mfaToken = await challenged(account);
    t.clock.advance(300);
    expect(await codeOf(m.auth.verifySecondFactor({ mfaToken, code: totpCode(account.secret, t.clock.now()) }, CLIENT))).toBe("MFA_TOKEN_INVALID");
  });

  it("is answered only from the address it was issued to", async () => {
    const account = await enrolledAccount(t, m);
    const mfaToken = await challenged(account);
    const code = nextCode(t, account.secret);
    expect(await codeOf(m.auth.verifySecondFactor({ mfaToken, code }, { ipAddress: "198.51.100.9" }))).toBe("MFA_TOKEN_INVALID");
    await expect(m.auth.verifySecondFactor({ mfaToken, code }, CLIENT)).resolves.toBeDefined();
  });

  it("dies after 5 wrong codes, even for the right one", async () => {
    const account = await enrolledAccount(t, m);
    const mfaToken = await challenged(account);
    for (let i = 0; i < 5; i++) expect(await codeOf(m.auth.verifySecondFactor({ mfaToken, code: "000000" }, CLIENT))).toBe("SECOND_FACTOR_INVALID");
    expect(await codeOf(m.auth.verifySecondFactor({ mfaToken, code: nextCode(t, account.secret) }, CLIENT))).toBe("MFA_TOKEN_INVALID");
  });

  it("is stored only as its hash", async () => {
    const account = await enrolledAccount(t, m);
    const mfaToken = await challenged(account);
    const rows = await t.database.db.select().from(mfaChallenges).where(eq(mfaChallenges.userId, account.current.user.id));
    expect(rows.map((row) => row.tokenHash)).toContain(hashMFAToken(mfaToken));
    expect(JSON.stringify(rows)).not.toContain(mfaToken.slice(4));
  });

  it("dies with a credential change that lands between the password and the code (the race)", async () => {
    const account = await enrolledAccount(t, m);
    const mfaToken = await challenged(account);
    // The owner, signed in on another device, changes the password meanwhile.
    await m.auth.changePassword(account.current, { currentPassword: PASSWORD, newPassword: "a brand new passphrase", code: nextCode(t, account.secret) });
    expect(await codeOf(m.auth.verifySecondFactor({ mfaToken, code: nextCode(t, account.secret) }, CLIENT))).toBe("MFA_TOKEN_INVALID");
  });

  it("dies when the account signs out everywhere", async () => {
    const account = await enrolledAccount(t, m);
    const mfaToken = await challenged(account);
    await m.auth.logout(account.current.session, { everywhere: true });
    expect(await codeOf(m.auth.verifySecondFactor({ mfaToken, code: nextCode(t, account.secret) }, CLIENT))).toBe("MFA_TOKEN_INVALID");
  });
});

describe("guessing per account", () => {
  it("10 wrong codes per window, across tokens, then RATE_LIMITED even for a right one", async () => {
    const account = await enrolledAccount(t, m);
    const codes: (string | undefined)[] = [];
    for (let token = 0; token < 2; token++) {
      const mfaToken = await challenged(account);
      for (let i = 0; i < 5; i++) codes.push(await codeOf(m.auth.verifySecondFactor({ mfaToken, code: "000000" }, CLIENT)));
    }
    expect(codes).toEqual(Array(10).fill("SECOND_FACTOR_INVALID"));
    const mfaToken = await challenged(account);
    expect(await codeOf(m.auth.verifySecondFactor({ mfaToken, code: nextCode(t, account.secret) }, CLIENT))).toBe("RATE_LIMITED");
    // Wrong codes on sensitive changes count on the same budget.
    expect(await codeOf(m.auth.totpDisable(account.current, { password: PASSWORD, code: nextCode(t, account.secret) }, CLIENT))).toBe("RATE_LIMITED");
    t.clock.advance(900);
    await expect(m.auth.verifySecondFactor({ mfaToken: await challenged(account), code: nextCode(t, account.secret) }, CLIENT)).resolves.toBeDefined();
  });
});
