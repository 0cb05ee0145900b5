import { OWASP_ARGON2ID } from "../src/config/options.ts";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { AuthError } from "../src/errors.ts";
import { users } from "../src/database/schema.ts";
import { codeOf } from "./codes.ts";
import { email, PASSWORD, useAuth } from "./fixture.ts";

const t = useAuth();

async function failure(promise: Promise<unknown>): Promise<AuthError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AuthError) return error;
  }
  throw new Error("expected an AuthError");
}

describe("signin", () => {
  it("signs in with the password in any letter case of the email", async () => {
    const address = email();
    await t.auth.register({ email: address, password: PASSWORD, name: "Ann" });
    const result = await t.auth.signin({ email: address.toUpperCase(), password: PASSWORD }, { userAgent: "Firefox", ipAddress: "10.0.0.1" });
    expect(result.user.email).toBe(address);
    expect(result.session).toMatchObject({ userAgent: "Firefox", ipAddress: "10.0.0.1" });
  });

  it("answers an unknown email and a wrong password identically", async () => {
    const address = email();
    await t.auth.register({ email: address, password: PASSWORD, name: "Ann" });
    const wrong = await failure(t.auth.signin({ email: address, password: "wrong password" }));
    const unknown = await failure(t.auth.signin({ email: email("nobody"), password: PASSWORD }));
    expect([wrong.code, wrong.message]).toEqual([unknown.code, unknown.message]);
    expect(wrong.code).toBe("INVALID_CREDENTIALS");
  });

  it("round-trips Unicode passwords, composed or decomposed", async () => {
    const address = email();
    await t.auth.register({ email: address, password: "pässwörd-日本語-🔑", name: "Ann" });
    const decomposed = "pässwörd-日本語-🔑".normalize("NFD");
    await expect(t.auth.signin({ email: address, password: decomposed })).resolves.toBeDefined();
  });

  it("never signs in with a truncated password", async () => {
    const address = email();
    const long = "a".repeat(100) + "Z".repeat(100);
    await t.auth.register({ email: address, password: long, name: "Ann" });
    expect(await codeOf(t.auth.signin({ email: address, password: long.slice(0, 72) }))).toBe("INVALID_CREDENTIALS");
    expect(await codeOf(t.auth.signin({ email: address, password: long.slice(0, 199) }))).toBe("INVALID_CREDENTIALS");
  });

  it("rehashes the password at sign-in when the argon2 parameters change", async () => {
    const address = email();
    const weak = t.withOptions({ passwordParams: { memoryCost: 8192, timeCost: 1, parallelism: 1 } });
    await weak.register({ email: address, password: PASSWORD, name: "Ann" });
    const before = await t.database.db.select().from(users).where(eq(users.email, address));
    expect(before[0]?.passwordHash).toContain("m=8192,t=1,p=1");
    const production = t.withOptions({ passwordParams: OWASP_ARGON2ID });
    await production.signin({ email: address, password: PASSWORD });
    const after = await t.database.db.select().from(users).where(eq(users.email, address));
    expect(after[0]?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    await expect(production.signin({ email: address, password: PASSWORD })).resolves.toBeDefined();
  });
});
