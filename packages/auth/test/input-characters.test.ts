import { describe, expect, it } from "vitest";
import { AuthError } from "../src/errors.ts";
import { codeOf } from "./codes.ts";
import { email, PASSWORD, useAuth } from "./fixture.ts";

const t = useAuth();

/** Addresses that hold a character no address may hold, once the ends are trimmed. */
const BAD_EMAILS: Record<string, string> = {
  "NUL": "a\u0000b@example.com",
  "U+0001": "a\u0001b@example.com",
  "DEL": "a\u007fb@example.com",
  "U+0085 (C1)": "a\u0085b@example.com",
  "U+009F (C1)": "ab@exam\u009fple.com",
  "no-break space": "a\u00a0b@example.com",
  "line separator": "a\u2028b@example.com",
  "tab": "a\tb@example.com",
  "inner space": "a b@example.com",
  "NUL at the end": "ab@example.com\u0000",
  "lone surrogate": "a\ud800b@example.com",
};

async function failure(promise: Promise<unknown>): Promise<AuthError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AuthError) return error;
    throw error;
  }
  throw new Error("expected an AuthError");
}

describe("characters PostgreSQL refuses, or no one means", () => {
  it.each(Object.entries(BAD_EMAILS))("refuses an email with %s at register and sign-in, naming the field", async (_, address) => {
    for (const attempt of [
      t.auth.register({ email: address, password: PASSWORD, name: "Ann" }),
      t.auth.signin({ email: address, password: PASSWORD }),
    ]) {
      const error = await failure(attempt);
      expect(error.code).toBe("INVALID_INPUT");
      expect(Object.keys(error.fieldErrors ?? {})).toEqual(["email"]);
    }
  });

  it("still trims whitespace and controls-that-are-whitespace from the ends of an email", async () => {
    const address = email();
    const result = await t.auth.register({ email: `\t ${address}\n`, password: PASSWORD, name: "Ann" });
    expect(result.user.email).toBe(address);
    await expect(t.auth.signin({ email: `${address}\r\n`, password: PASSWORD })).resolves.toBeDefined();
  });

  it("refuses control characters and lone surrogates in a name", async () => {
    for (const name of ["A\u0001nn", "A\u007fnn", "A\u0085nn", "A\udc00nn"]) {
      const error = await failure(t.auth.register({ email: email(), password: PASSWORD, name }));
      expect([error.code, Object.keys(error.fieldErrors ?? {})]).toEqual(["INVALID_INPUT", ["name"]]);
    }
  });

  it("takes any character in a password but a lone surrogate, which hashing would turn into U+FFFD", async () => {
    const address = email();
    const odd = "pass\u0000word\u0001\u007f\u0085";
    await t.auth.register({ email: address, password: odd, name: "Ann" });
    await expect(t.auth.signin({ email: address, password: odd })).resolves.toBeDefined();

    for (const attempt of [
      t.auth.register({ email: email(), password: "password\ud800", name: "Ann" }),
      t.auth.signin({ email: address, password: "password\ud800" }),
    ]) {
      const error = await failure(attempt);
      expect([error.code, Object.keys(error.fieldErrors ?? {})]).toEqual(["INVALID_INPUT", ["password"]]);
    }
    const { session, user } = await t.auth.signin({ email: address, password: odd });
    const change = await failure(t.auth.changePassword({ user, session }, { currentPassword: odd, newPassword: "new password\udfff" }));
    expect([change.code, change.fieldErrors]).toEqual(["INVALID_INPUT", { newPassword: [expect.any(String)] }]);
  });

  it("stores a user agent and address cleaned of control characters, well-formed and capped", async () => {
    const address = email();
    const client = { userAgent: "Agent\u0000/1\u001b[31m\u0085 \ud800", ipAddress: "192.0.2.7\u0000" };
    const registered = await t.auth.register({ email: address, password: PASSWORD, name: "Ann" }, client);
    expect(registered.session).toMatchObject({ userAgent: "Agent/1[31m \ufffd", ipAddress: "192.0.2.7" });
    const signedIn = await t.auth.signin({ email: address, password: PASSWORD }, client);
    expect(signedIn.session).toMatchObject({ userAgent: "Agent/1[31m \ufffd", ipAddress: "192.0.2.7" });

    const long = await t.auth.signin({ email: address, password: PASSWORD }, { userAgent: "🦊".repeat(1000), ipAddress: "\u0000" });
    expect(long.session.userAgent).toBe("🦊".repeat(512)); // cut by code point: no half surrogate pair
    expect(long.session.ipAddress).toBeNull();

    const token = await t.auth.getBearerToken(registered.user, { client });
    const { session } = await t.auth.verifyBearerToken(token);
    expect(session).toMatchObject({ userAgent: "Agent/1[31m \ufffd", ipAddress: "192.0.2.7" });
    const listed = await t.auth.listSessions(registered.user.id);
    expect(listed.every((s) => !/\p{Cc}/u.test(`${s.userAgent ?? ""}${s.ipAddress ?? ""}`))).toBe(true);
  });

  it("answers a refresh token with NUL or a lone surrogate as invalid, not as a database error", async () => {
    expect(await codeOf(t.auth.refresh(`${"A".repeat(42)}\u0000`))).toBe("TOKEN_INVALID");
    expect(await codeOf(t.auth.refresh(`${"A".repeat(42)}\ud800`))).toBe("TOKEN_INVALID");
    expect(await t.auth.checkBearerToken("a\u0000.b.c")).toBeNull();
  });
});
