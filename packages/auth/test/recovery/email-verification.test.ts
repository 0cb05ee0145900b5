import { describe, expect, it } from "vitest";
import { codeOf } from "../codes.ts";
import { email, PASSWORD, useAuth } from "../fixture.ts";
import { APP_URL, useMail } from "../mail-fixture.ts";

const t = useAuth({ throttle: { registerMaxPerIp: 100_000 } });
const m = useMail(t);

describe("email verification", () => {
  it("mails a link at registration; using it marks the account verified, once", async () => {
    const address = email();
    const registered = await m.auth.register({ email: address, password: PASSWORD, name: "Ann" });
    expect(registered.user.emailVerified).toBe(false);
    const mail = await m.smtp.take(address);
    expect(mail.subject).toBe("Verify your email address");
    expect(mail.links[0]).toMatch(new RegExp(`^${APP_URL}/verify-email#token=verify_[A-Za-z0-9_-]{43}$`));

    // Both services have the session cached (unverified) before the link is used.
    const other = m.withOptions({});
    for (const auth of [m.auth, other]) expect(await auth.checkBearerToken(registered.accessToken)).toMatchObject({ emailVerified: false });
    expect(await m.auth.verifyEmail({ token: mail.token ?? "" })).toEqual({ status: "verified", email: address });
    expect(await m.auth.checkBearerToken(registered.accessToken)).toMatchObject({ emailVerified: true });
    // The other instance hears of it (NOTIFY on PostgreSQL) rather than serving its stale copy.
    await expect.poll(async () => (await other.checkBearerToken(registered.accessToken))?.emailVerified).toBe(true);
    expect(await codeOf(m.auth.verifyEmail({ token: mail.token ?? "" }))).toBe("LINK_USED");
  });

  it("refuses a link older than 24 hours with LINK_EXPIRED", async () => {
    const address = email();
    await m.auth.register({ email: address, password: PASSWORD, name: "Ann" });
    const { token } = await m.smtp.take(address);
    t.clock.advance(24 * 3600 + 1);
    expect(await codeOf(m.auth.verifyEmail({ token: token ?? "" }))).toBe("LINK_EXPIRED");
  });

  it("resends on request, voiding the older link, at most once a minute", async () => {
    const address = email();
    const { user, session } = await m.auth.register({ email: address, password: PASSWORD, name: "Ann" });
    const first = (await m.smtp.take(address)).token ?? "";
    await m.auth.resendVerification({ user, session });
    const second = (await m.smtp.take(address)).token ?? "";
    const error = await m.auth.resendVerification({ user, session }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "RATE_LIMITED", retryAfter: 60 });
    expect(await codeOf(m.auth.verifyEmail({ token: first }))).toBe("LINK_USED");
    await m.auth.verifyEmail({ token: second });
    t.clock.advance(61);
    await m.auth.resendVerification({ user, session }); // verified: nothing to send
    await m.auth.idle();
    expect(m.smtp.pending(address)).toEqual([]);
  });

  it("logs a failed send and registers as usual", async () => {
    m.smtp.failing = true;
    const address = email();
    await expect(m.auth.register({ email: address, password: PASSWORD, name: "Ann" })).resolves.toBeDefined();
    await m.auth.idle();
    expect(m.warnings).toEqual([expect.stringMatching(/could not send "Verify your email address"/)]);
  });

  it("prune deletes expired links", async () => {
    const address = email();
    await m.auth.register({ email: address, password: PASSWORD, name: "Ann" });
    await m.smtp.take(address);
    t.clock.advance(24 * 3600 + 1);
    expect((await m.auth.prune()).emailTokens).toBeGreaterThan(0);
    expect((await m.auth.prune()).emailTokens).toBe(0);
  });
});

describe("with requireEmailVerification", () => {
  const strict = () => m.withOptions({ requireEmailVerification: true });

  it("creates the account without tokens, and signs in only once verified", async () => {
    const auth = strict();
    const address = email();
    expect(await auth.createAccount({ email: address, password: PASSWORD, name: "Ann" })).toEqual({
      verificationRequired: true,
      email: address,
    });
    const { token } = await m.smtp.take(address);
    expect(await codeOf(auth.signin({ email: address, password: "wrong password" }))).toBe("INVALID_CREDENTIALS");
    expect(await codeOf(auth.signin({ email: address, password: PASSWORD }))).toBe("EMAIL_NOT_VERIFIED");
    // The refused sign-in mailed a fresh link, which voided the first.
    const again = (await m.smtp.take(address)).token ?? "";
    expect(await codeOf(auth.verifyEmail({ token: token ?? "" }))).toBe("LINK_USED");
    await auth.verifyEmail({ token: again });
    await expect(auth.signin({ email: address, password: PASSWORD })).resolves.toMatchObject({ user: { emailVerified: true } });
  });

  it("answers a taken address exactly like a new one, and tells its owner", async () => {
    const auth = strict();
    const taken = email();
    await auth.createAccount({ email: taken, password: PASSWORD, name: "Ann" });
    await m.smtp.take(taken);
    const fresh = email();
    const forNew = await auth.createAccount({ email: fresh, password: PASSWORD, name: "Eve" });
    const forTaken = await auth.createAccount({ email: taken.toUpperCase(), password: "another password", name: "Eve" });
    expect(forTaken).toEqual({ ...forNew, email: taken });
    expect((await m.smtp.take(taken)).subject).toBe("Someone tried to register with your address");
    expect((await m.smtp.take(fresh)).subject).toBe("Verify your email address");
    expect(await codeOf(auth.register({ email: email(), password: PASSWORD, name: "Bo" }))).toBe("EMAIL_NOT_VERIFIED");
  });

  it("keeps EMAIL_TAKEN when verification is not required", async () => {
    const address = email();
    await m.auth.register({ email: address, password: PASSWORD, name: "Ann" });
    expect(await codeOf(m.auth.register({ email: address, password: PASSWORD, name: "Eve" }))).toBe("EMAIL_TAKEN");
  });

  it("a password reset proves the address too", async () => {
    const auth = strict();
    const address = email();
    await auth.createAccount({ email: address, password: PASSWORD, name: "Ann" });
    await m.smtp.take(address);
    await auth.requestPasswordReset({ email: address });
    const { token } = await m.smtp.take(address);
    const reset = await auth.resetPassword({ token: token ?? "", password: "a brand new passphrase" });
    expect(reset.user.emailVerified).toBe(true);
  });
});
