import { describe, expect, it } from "vitest";
import { errorOf } from "../error-of.ts";
import { email, PASSWORD, signedIn, signedUp, useApi } from "../fixture.ts";

const t = useApi({ throttle: { maxFailures: 3, window: "15m" } });

async function register(address = email()) {
  return signedUp(await t.call().caller.auth.register({ email: address, password: PASSWORD, name: "Ann" }));
}

describe("auth.register", () => {
  it("creates the account, signs it in and returns a bearer token response", async () => {
    const address = email("Reg");
    const payload = await register(address);
    expect(payload).toEqual({
      user: { id: expect.any(String), email: address.toLowerCase(), name: "Ann", createdAt: t.clock.now().toISOString(), emailVerified: false },
      accessToken: expect.any(String),
      refreshToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      tokenType: "Bearer",
      expiresAt: new Date(t.clock.now().getTime() + 3600_000).toISOString(),
      expiresIn: 3600,
      verificationRequired: false,
    });
    const me = await t.call({ token: payload.accessToken }).caller.auth.me();
    expect(me).toMatchObject(payload.user);
  });

  it("ignores fields a client must not set, such as id", async () => {
    const input = { email: email(), password: PASSWORD, name: "Ann", id: "00000000-0000-4000-8000-000000000000", role: "admin" };
    const payload = signedUp(await t.call().caller.auth.register(input));
    expect(payload.user.id).not.toBe(input.id);
    expect(payload.user).not.toHaveProperty("role");
  });

  it("refuses a taken email, whatever its letter case, with CONFLICT / EMAIL_TAKEN", async () => {
    const address = email();
    await register(address);
    const error = await errorOf(register(address.toUpperCase()));
    expect(error).toMatchObject({ code: "CONFLICT", httpStatus: 409, authCode: "EMAIL_TAKEN" });
  });

  it("reports invalid input per field as BAD_REQUEST / INVALID_INPUT", async () => {
    const error = await errorOf(t.call().caller.auth.register({ email: "not-an-email", password: PASSWORD, name: "" }));
    expect(error).toMatchObject({ code: "BAD_REQUEST", httpStatus: 400, authCode: "INVALID_INPUT" });
    expect(error.fieldErrors).toEqual({ email: ["Enter a valid email address"], name: ["Enter your name"] });
    expect(error.message).toBe("Enter a valid email address");
  });

  it("reports a short password as WEAK_PASSWORD on the password field", async () => {
    const error = await errorOf(t.call().caller.auth.register({ email: email(), password: "short", name: "Ann" }));
    expect(error).toMatchObject({ code: "BAD_REQUEST", authCode: "WEAK_PASSWORD", fieldErrors: { password: [expect.any(String)] } });
  });

  it("answers a name with a NUL character with 400, not a database error", async () => {
    const error = await errorOf(t.call().caller.auth.register({ email: email(), password: PASSWORD, name: "A\u0000nn" }));
    expect(error).toMatchObject({ code: "BAD_REQUEST", authCode: "INVALID_INPUT" });
  });
});

describe("auth.signin", () => {
  it("returns the same token response as register, for a new session", async () => {
    const address = email();
    const registered = await register(address);
    const payload = signedIn(await t.call().caller.auth.signin({ email: address, password: PASSWORD }));
    expect(payload).toMatchObject({ user: registered.user, tokenType: "Bearer", expiresIn: 3600 });
    expect(payload.refreshToken).not.toBe(registered.refreshToken);
    const sessions = await t.call({ token: payload.accessToken }).caller.account.sessions();
    expect(sessions).toHaveLength(2);
  });

  it("gives a wrong password and an unknown email the same code and message", async () => {
    const address = email();
    await register(address);
    const wrongPassword = await errorOf(t.call().caller.auth.signin({ email: address, password: "wrong password" }));
    const unknownEmail = await errorOf(t.call().caller.auth.signin({ email: email(), password: PASSWORD }));
    expect(wrongPassword).toMatchObject({ code: "UNAUTHORIZED", httpStatus: 401, authCode: "INVALID_CREDENTIALS" });
    expect(unknownEmail).toEqual(wrongPassword);
  });

  it("throttles repeated failures with TOO_MANY_REQUESTS and the seconds to wait", async () => {
    const address = email();
    await register(address);
    const attempt = () => t.call().caller.auth.signin({ email: address, password: "wrong password" });
    for (let i = 0; i < 3; i++) expect((await errorOf(attempt())).authCode).toBe("INVALID_CREDENTIALS");
    t.clock.advance(60);
    const error = await errorOf(attempt());
    expect(error).toMatchObject({ code: "TOO_MANY_REQUESTS", httpStatus: 429, authCode: "RATE_LIMITED", retryAfter: 840 });
    // Even the right password waits until the window ends.
    expect((await errorOf(t.call().caller.auth.signin({ email: address, password: PASSWORD }))).authCode).toBe("RATE_LIMITED");
    t.clock.advance(840);
    await expect(t.call().caller.auth.signin({ email: address, password: PASSWORD })).resolves.toMatchObject({ tokenType: "Bearer" });
  });
});

describe("auth.refresh", () => {
  it("rotates the refresh token and returns a new access token for the same user", async () => {
    const first = await register();
    t.clock.advance(30);
    const second = await t.call().caller.auth.refresh({ refreshToken: first.refreshToken ?? "" });
    expect(second.user).toEqual(first.user);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.expiresAt).toBe(new Date(t.clock.now().getTime() + 3600_000).toISOString());
    await expect(t.call({ token: second.accessToken }).caller.auth.me()).resolves.toMatchObject(first.user);
  });

  it("treats a rotated token used again as theft: REFRESH_REUSED, and the session ends", async () => {
    const first = await register();
    const second = await t.call().caller.auth.refresh({ refreshToken: first.refreshToken ?? "" });
    t.clock.advance(11);
    const error = await errorOf(t.call().caller.auth.refresh({ refreshToken: first.refreshToken ?? "" }));
    expect(error).toMatchObject({ code: "UNAUTHORIZED", authCode: "REFRESH_REUSED" });
    expect((await errorOf(t.call({ token: second.accessToken }).caller.auth.me())).authCode).toBe("SESSION_REVOKED");
  });

  it("refuses a missing or unknown token with TOKEN_INVALID", async () => {
    expect(await errorOf(t.call().caller.auth.refresh())).toMatchObject({ code: "UNAUTHORIZED", authCode: "TOKEN_INVALID" });
    const unknown = "A".repeat(43);
    expect((await errorOf(t.call().caller.auth.refresh({ refreshToken: unknown }))).authCode).toBe("TOKEN_INVALID");
    expect((await errorOf(t.call().caller.auth.refresh({ refreshToken: "junk" }))).authCode).toBe("TOKEN_INVALID");
  });

  it("answers an access token sent as the refresh token with 401 TOKEN_INVALID, not a 400", async () => {
    const { accessToken } = signedUp(await t.call().caller.auth.register({ email: email(), password: PASSWORD, name: "Ann" }));
    expect(await errorOf(t.call().caller.auth.refresh({ refreshToken: accessToken }))).toMatchObject({
      code: "UNAUTHORIZED",
      authCode: "TOKEN_INVALID",
    });
  });

  it("refuses an oversized token as invalid input before touching the database", async () => {
    const error = await errorOf(t.call().caller.auth.refresh({ refreshToken: "x".repeat(10_000) }));
    expect(error).toMatchObject({ code: "BAD_REQUEST", authCode: "INVALID_INPUT", fieldErrors: { refreshToken: [expect.any(String)] } });
  });
});

describe("protected procedures (auth.me)", () => {
  it("answers no token with UNAUTHORIZED / TOKEN_INVALID and a bare Bearer challenge", async () => {
    const { caller, resHeaders } = t.call();
    expect(await errorOf(caller.auth.me())).toMatchObject({ code: "UNAUTHORIZED", httpStatus: 401, authCode: "TOKEN_INVALID" });
    expect(resHeaders.get("www-authenticate")).toBe("Bearer");
  });

  it("answers a forged token with TOKEN_INVALID and error=\"invalid_token\"", async () => {
    const { accessToken } = await register();
    const [header, payload] = accessToken.split(".");
    const { caller, resHeaders } = t.call({ token: `${header}.${payload}.AAAA` });
    expect((await errorOf(caller.auth.me())).authCode).toBe("TOKEN_INVALID");
    expect(resHeaders.get("www-authenticate")).toBe('Bearer error="invalid_token"');
  });

  it("accepts a token until ttl + leeway, then answers TOKEN_EXPIRED", async () => {
    const { accessToken, user } = await register();
    t.clock.advance(3600 + 60 - 1);
    await expect(t.call({ token: accessToken }).caller.auth.me()).resolves.toMatchObject(user);
    t.clock.advance(2);
    const { caller, resHeaders } = t.call({ token: accessToken });
    expect(await errorOf(caller.auth.me())).toMatchObject({ code: "UNAUTHORIZED", authCode: "TOKEN_EXPIRED" });
    expect(resHeaders.get("www-authenticate")).toBe('Bearer error="invalid_token"');
  });
});

describe("auth.logout", () => {
  it("ends this session only: its tokens stop working, others keep working", async () => {
    const address = email();
    const one = await register(address);
    const two = signedIn(await t.call().caller.auth.signin({ email: address, password: PASSWORD }));
    await expect(t.call({ token: one.accessToken }).caller.auth.logout()).resolves.toEqual({ revoked: 1 });
    expect((await errorOf(t.call({ token: one.accessToken }).caller.auth.me())).authCode).toBe("SESSION_REVOKED");
    expect((await errorOf(t.call().caller.auth.refresh({ refreshToken: one.refreshToken ?? "" }))).authCode).toBe("SESSION_REVOKED");
    await expect(t.call({ token: two.accessToken }).caller.auth.me()).resolves.toMatchObject({ email: address });
  });

  it("with everywhere: true ends every session of the user", async () => {
    const address = email();
    const one = await register(address);
    const two = signedIn(await t.call().caller.auth.signin({ email: address, password: PASSWORD }));
    const three = signedIn(await t.call().caller.auth.signin({ email: address, password: PASSWORD }));
    await expect(t.call({ token: one.accessToken }).caller.auth.logout({ everywhere: true })).resolves.toEqual({ revoked: 3 });
    for (const session of [two, three]) {
      expect((await errorOf(t.call({ token: session.accessToken }).caller.auth.me())).authCode).toBe("SESSION_REVOKED");
      expect((await errorOf(t.call().caller.auth.refresh({ refreshToken: session.refreshToken ?? "" }))).authCode).toBe(
        "SESSION_REVOKED",
      );
    }
  });

  it("needs a valid token", async () => {
    expect((await errorOf(t.call().caller.auth.logout())).code).toBe("UNAUTHORIZED");
  });
});

describe("one context, several calls", () => {
  it("verifies the token once for concurrent calls, and sees a logout on the next call", async () => {
    const { accessToken, user } = await register();
    const { caller } = t.call({ token: accessToken });
    // Every check of a token, from memory or from the database, is counted once.
    const checks = () => {
      const { hits, misses } = t.auth.sessionCache.stats();
      return hits + misses;
    };
    const before = checks();
    const [me, sessions, again] = await Promise.all([caller.auth.me(), caller.account.sessions(), caller.auth.me()]);
    expect(me).toMatchObject(user);
    expect(again).toMatchObject(user);
    expect(sessions).toHaveLength(1);
    expect(checks() - before).toBe(1);
    await caller.auth.logout();
    expect(checks() - before).toBe(2);
    expect((await errorOf(caller.auth.me())).authCode).toBe("SESSION_REVOKED");
  });
});

describe("building on the exported procedures", () => {
  it("another app's router gets ctx.user from protectedProcedure and the same 401s", async () => {
    const { createCallerFactory, createTRPCContext, protectedProcedure, router } = await import("../../src/index.ts");
    const own = router({ whoami: protectedProcedure.query(({ ctx }) => ctx.user.email) });
    const { user, accessToken } = signedUp(await t.call().caller.auth.register({ email: email(), password: PASSWORD, name: "Ann" }));
    const caller = (token?: string) =>
      createCallerFactory(own)(
        createTRPCContext({
          auth: t.auth,
          headers: new Headers(token ? { authorization: `Bearer ${token}` } : {}),
          resHeaders: new Headers(),
        }),
      );
    await expect(caller(accessToken).whoami()).resolves.toBe(user.email);
    expect((await errorOf(caller().whoami())).authCode).toBe("TOKEN_INVALID");
  });
});
