import { AuthError } from "@bearer-kit/auth";
import { describe, expect, it } from "vitest";
import { errorOf } from "../error-of.ts";
import { email, PASSWORD, signedIn, signedUp, useApi } from "../fixture.ts";

const t = useApi();
const NEW_PASSWORD = "a whole new passphrase";

/** One user signed in twice: two sessions. */
async function twoSessions() {
  const address = email();
  const first = signedUp(await t.call({ headers: { "user-agent": "Laptop" } }).caller.auth.register({ email: address, password: PASSWORD, name: "Ann" }));
  t.clock.advance(120);
  const second = signedIn(await t.call({ headers: { "user-agent": "Phone" }, clientAddress: "198.51.100.4" }).caller.auth.signin({
    email: address,
    password: PASSWORD,
  }));
  return { address, first, second };
}

describe("account.changePassword", () => {
  it("sets the new password, keeps this session and ends every other one", async () => {
    const { address, first, second } = await twoSessions();
    const result = await t.call({ token: second.accessToken }).caller.account.changePassword({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(result).toEqual({ ok: true });
    await expect(t.call({ token: second.accessToken }).caller.auth.me()).resolves.toMatchObject({ email: address });
    expect((await errorOf(t.call({ token: first.accessToken }).caller.auth.me())).authCode).toBe("SESSION_REVOKED");
    expect((await errorOf(t.call().caller.auth.refresh({ refreshToken: first.refreshToken ?? "" }))).authCode).toBe("SESSION_REVOKED");
    expect((await errorOf(t.call().caller.auth.signin({ email: address, password: PASSWORD }))).authCode).toBe("INVALID_CREDENTIALS");
    await expect(t.call().caller.auth.signin({ email: address, password: NEW_PASSWORD })).resolves.toMatchObject({ tokenType: "Bearer" });
  });

  it("refuses a wrong current password with INVALID_CREDENTIALS on that field, and changes nothing", async () => {
    const { address, second } = await twoSessions();
    const { caller, resHeaders } = t.call({ token: second.accessToken });
    const error = await errorOf(caller.account.changePassword({ currentPassword: "not my password", newPassword: NEW_PASSWORD }));
    expect(error).toMatchObject({ code: "UNAUTHORIZED", authCode: "INVALID_CREDENTIALS", fieldErrors: { password: [expect.any(String)] } });
    // The token was fine: no bearer challenge, so clients do not mistake this for an expired token.
    expect(resHeaders.get("www-authenticate")).toBeNull();
    await expect(t.call().caller.auth.signin({ email: address, password: PASSWORD })).resolves.toBeDefined();
  });

  it("refuses a weak new password with WEAK_PASSWORD on newPassword", async () => {
    const { second } = await twoSessions();
    const error = await errorOf(t.call({ token: second.accessToken }).caller.account.changePassword({ currentPassword: PASSWORD, newPassword: "short" }));
    expect(error).toMatchObject({ code: "BAD_REQUEST", authCode: "WEAK_PASSWORD", fieldErrors: { newPassword: [expect.any(String)] } });
  });
});

describe("account.delete", () => {
  it("checks the password, then deletes the user: tokens stop working and the email is free again", async () => {
    const { address, first, second } = await twoSessions();
    const wrong = await errorOf(t.call({ token: second.accessToken }).caller.account.delete({ password: "not my password" }));
    expect(wrong).toMatchObject({ code: "UNAUTHORIZED", authCode: "INVALID_CREDENTIALS" });

    await expect(t.call({ token: second.accessToken }).caller.account.delete({ password: PASSWORD })).resolves.toEqual({ ok: true });
    for (const token of [first.accessToken, second.accessToken]) {
      expect((await errorOf(t.call({ token }).caller.auth.me())).authCode).toBe("TOKEN_INVALID");
    }
    expect((await errorOf(t.call().caller.auth.signin({ email: address, password: PASSWORD }))).authCode).toBe("INVALID_CREDENTIALS");
    await expect(t.call().caller.auth.register({ email: address, password: PASSWORD, name: "Ann again" })).resolves.toBeDefined();
  });
});

describe("account.sessions", () => {
  it("lists the live sessions, most recent first, marking the current one", async () => {
    const { first, second } = await twoSessions();
    t.clock.advance(120);
    const sessions = await t.call({ token: first.accessToken }).caller.account.sessions();
    expect(sessions).toEqual([
      {
        id: expect.any(String),
        createdAt: new Date(t.clock.now().getTime() - 240_000).toISOString(),
        // Using a token records activity (at most once a minute).
        lastUsedAt: t.clock.now().toISOString(),
        userAgent: "Laptop",
        ipAddress: "203.0.113.9",
        current: true,
      },
      {
        id: expect.any(String),
        createdAt: new Date(t.clock.now().getTime() - 120_000).toISOString(),
        lastUsedAt: new Date(t.clock.now().getTime() - 120_000).toISOString(),
        userAgent: "Phone",
        ipAddress: "198.51.100.4",
        current: false,
      },
    ]);
    const fromSecond = await t.call({ token: second.accessToken }).caller.account.sessions();
    expect(fromSecond.filter((session) => session.current).map((session) => session.userAgent)).toEqual(["Phone"]);
  });
});

describe("account.revokeSession", () => {
  it("ends another of the user's sessions", async () => {
    const { first, second } = await twoSessions();
    const sessions = await t.call({ token: first.accessToken }).caller.account.sessions();
    const other = sessions.find((session) => !session.current);
    await expect(t.call({ token: first.accessToken }).caller.account.revokeSession({ id: other?.id ?? "" })).resolves.toEqual({ ok: true });
    expect((await errorOf(t.call({ token: second.accessToken }).caller.auth.me())).authCode).toBe("SESSION_REVOKED");
    expect(await t.call({ token: first.accessToken }).caller.account.sessions()).toHaveLength(1);
  });

  it("answers NOT_FOUND for another user's session, and leaves it alone", async () => {
    const mine = await twoSessions();
    const theirs = await twoSessions();
    const [target] = await t.call({ token: theirs.first.accessToken }).caller.account.sessions();
    const error = await errorOf(t.call({ token: mine.first.accessToken }).caller.account.revokeSession({ id: target?.id ?? "" }));
    expect(error).toMatchObject({ code: "NOT_FOUND", httpStatus: 404, authCode: "NOT_FOUND" });
    await expect(t.call({ token: theirs.first.accessToken }).caller.auth.me()).resolves.toBeDefined();
  });

  it("answers NOT_FOUND for an unknown id and BAD_REQUEST for junk", async () => {
    const { first } = await twoSessions();
    const { caller } = t.call({ token: first.accessToken });
    expect((await errorOf(caller.account.revokeSession({ id: "6f1c1d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f" }))).code).toBe("NOT_FOUND");
    const junk = await errorOf(caller.account.revokeSession({ id: "1; drop table sessions" }));
    expect(junk).toMatchObject({ code: "BAD_REQUEST", authCode: "INVALID_INPUT", fieldErrors: { id: [expect.any(String)] } });
  });
});

describe("errors the core reports", () => {
  it("maps DATABASE_UNAVAILABLE to SERVICE_UNAVAILABLE (503)", async () => {
    const down = {
      ...t.auth,
      signinOrChallenge: () => Promise.reject(new AuthError("DATABASE_UNAVAILABLE", "The database is unavailable; try again shortly.")),
    };
    const error = await errorOf(t.call({ auth: down }).caller.auth.signin({ email: email(), password: PASSWORD }));
    expect(error).toMatchObject({ code: "SERVICE_UNAVAILABLE", httpStatus: 503, authCode: "DATABASE_UNAVAILABLE" });
  });
});
