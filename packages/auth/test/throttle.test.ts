import { describe, expect, it } from "vitest";
import { AuthError } from "../src/errors.ts";
import { codeOf } from "./codes.ts";
import { email, PASSWORD, useAuth } from "./fixture.ts";

const t = useAuth({ throttle: { maxFailures: 5, maxPerIp: 8, window: "15m" } });

async function registered() {
  const address = email();
  await t.auth.register({ email: address, password: PASSWORD, name: "Ann" });
  return address;
}

describe("sign-in throttling", () => {
  it("after 5 failures refuses even the right password with RATE_LIMITED and a retry-after", async () => {
    const address = await registered();
    for (let i = 0; i < 5; i++) {
      expect(await codeOf(t.auth.signin({ email: address, password: "wrong password" }))).toBe("INVALID_CREDENTIALS");
    }
    t.clock.advance(60);
    const error = await t.auth.signin({ email: address, password: PASSWORD }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).code).toBe("RATE_LIMITED");
    expect((error as AuthError).retryAfter).toBe(15 * 60 - 60);
  });

  it("opens again when the window ends", async () => {
    const address = await registered();
    for (let i = 0; i < 6; i++) await codeOf(t.auth.signin({ email: address, password: "wrong password" }));
    t.clock.advance(15 * 60 + 1);
    await expect(t.auth.signin({ email: address, password: PASSWORD })).resolves.toBeDefined();
  });

  it("resets the account's count after a successful sign-in", async () => {
    const address = await registered();
    for (let i = 0; i < 4; i++) await codeOf(t.auth.signin({ email: address, password: "wrong password" }));
    await t.auth.signin({ email: address, password: PASSWORD });
    for (let i = 0; i < 4; i++) await codeOf(t.auth.signin({ email: address, password: "wrong password" }));
    await expect(t.auth.signin({ email: address, password: PASSWORD })).resolves.toBeDefined();
  });

  it("concurrent attempts cannot slip past the limit", async () => {
    const address = await registered();
    const codes = await Promise.all(
      Array.from({ length: 12 }, () => codeOf(t.auth.signin({ email: address, password: "wrong password" }))),
    );
    expect(codes.filter((c) => c === "INVALID_CREDENTIALS")).toHaveLength(5);
    expect(codes.filter((c) => c === "RATE_LIMITED")).toHaveLength(7);
  });

  it("limits one client address across many accounts", async () => {
    const ip = "203.0.113.9";
    const codes = [];
    for (let i = 0; i < 9; i++) {
      codes.push(await codeOf(t.auth.signin({ email: email("spray"), password: "wrong password" }, { ipAddress: ip })));
    }
    expect(codes.slice(0, 8)).toEqual(Array.from({ length: 8 }, () => "INVALID_CREDENTIALS"));
    expect(codes[8]).toBe("RATE_LIMITED");
    const elsewhere = await registered();
    await expect(t.auth.signin({ email: elsewhere, password: PASSWORD }, { ipAddress: "198.51.100.1" })).resolves.toBeDefined();
  });
});
