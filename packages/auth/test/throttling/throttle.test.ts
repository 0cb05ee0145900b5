import { describe, expect, it } from "vitest";
import { AuthError } from "../../src/errors.ts";
import { codeOf } from "../codes.ts";
import { email, PASSWORD, useAuth } from "../fixture.ts";

const t = useAuth({ throttle: { maxFailures: 5, maxFailuresPerAccount: 12, maxPerIp: 8, window: "15m" } });

const WRONG = "wrong password";
let nextHost = 1;
/** A documentation-range address no other test has used, so per-address counts start at zero. */
const freshAddress = () => `203.0.113.${nextHost++}`;

async function registered() {
  const address = email();
  await t.auth.register({ email: address, password: PASSWORD, name: "Ann" });
  return address;
}

async function failFrom(account: string, ipAddress: string, times: number) {
  const codes = [];
  for (let i = 0; i < times; i++) codes.push(await codeOf(t.auth.signin({ email: account, password: WRONG }, { ipAddress })));
  return codes;
}

async function rejection(promise: Promise<unknown>): Promise<AuthError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof AuthError)) throw new Error(`expected an AuthError, got ${String(error)}`);
  return error;
}

describe("sign-in throttling per account and address", () => {
  it("after 5 failures from one address refuses even the right password there, with the seconds to wait", async () => {
    const account = await registered();
    const ip = freshAddress();
    expect(await failFrom(account, ip, 5)).toEqual(Array(5).fill("INVALID_CREDENTIALS"));
    t.clock.advance(60);
    const error = await rejection(t.auth.signin({ email: account, password: PASSWORD }, { ipAddress: ip }));
    expect(error.code).toBe("RATE_LIMITED");
    expect(error.retryAfter).toBe(15 * 60 - 60);
  });

  it("opens again when the window ends, and not a second before", async () => {
    const account = await registered();
    const ip = freshAddress();
    await failFrom(account, ip, 5);
    t.clock.advance(15 * 60 - 1);
    expect(await codeOf(t.auth.signin({ email: account, password: PASSWORD }, { ipAddress: ip }))).toBe("RATE_LIMITED");
    t.clock.advance(1);
    expect(await codeOf(t.auth.signin({ email: account, password: PASSWORD }, { ipAddress: ip }))).toBeUndefined();
  });

  it("forgets this address's failures for the account after a successful sign-in", async () => {
    const account = await registered();
    const ip = freshAddress();
    await failFrom(account, ip, 4);
    await t.auth.signin({ email: account, password: PASSWORD }, { ipAddress: ip });
    // 3 more: 7 in all would be over the pair's 5, but under the address's 8.
    expect(await failFrom(account, ip, 3)).toEqual(Array(3).fill("INVALID_CREDENTIALS"));
    expect(await codeOf(t.auth.signin({ email: account, password: PASSWORD }, { ipAddress: ip }))).toBeUndefined();
  });

  it("lets no more than the limit of concurrent wrong guesses through", async () => {
    const account = await registered();
    const ip = freshAddress();
    const codes = await Promise.all(
      Array.from({ length: 12 }, () => codeOf(t.auth.signin({ email: account, password: WRONG }, { ipAddress: ip }))),
    );
    expect(codes.filter((c) => c === "INVALID_CREDENTIALS")).toHaveLength(5);
    expect(codes.filter((c) => c === "RATE_LIMITED")).toHaveLength(7);
  });

  it("counts an unknown address as one address per account", async () => {
    const account = await registered();
    for (let i = 0; i < 5; i++) await codeOf(t.auth.signin({ email: account, password: WRONG }));
    expect(await codeOf(t.auth.signin({ email: account, password: PASSWORD }))).toBe("RATE_LIMITED");
  });
});

describe("sign-in throttling per address", () => {
  it("limits one address spraying many accounts", async () => {
    const ip = freshAddress();
    const codes = [];
    for (let i = 0; i < 9; i++) codes.push(await codeOf(t.auth.signin({ email: email("spray"), password: WRONG }, { ipAddress: ip })));
    expect(codes.slice(0, 8)).toEqual(Array(8).fill("INVALID_CREDENTIALS"));
    expect(codes[8]).toBe("RATE_LIMITED");
    const elsewhere = await registered();
    expect(await codeOf(t.auth.signin({ email: elsewhere, password: PASSWORD }, { ipAddress: freshAddress() }))).toBeUndefined();
  });

  it("never refuses correct sign-ins because others are still in flight (the limit counts failures)", async () => {
    const ip = freshAddress();
    const accounts = await Promise.all(Array.from({ length: 20 }, () => registered()));
    // 20 at once from one address whose failure budget is 8: the attempts in flight hold places, but give them back.
    const codes = await Promise.all(accounts.map((account) => codeOf(t.auth.signin({ email: account, password: PASSWORD }, { ipAddress: ip }))));
    expect(codes).toEqual(Array(20).fill(undefined));
    // The budget is intact: 8 failures still fit, the 9th is refused.
    const after = [];
    for (let i = 0; i < 9; i++) after.push(await codeOf(t.auth.signin({ email: email("spray"), password: WRONG }, { ipAddress: ip })));
    expect(after.slice(0, 8)).toEqual(Array(8).fill("INVALID_CREDENTIALS"));
    expect(after[8]).toBe("RATE_LIMITED");
  });
});

describe("an attacker cannot lock the owner out", () => {
  it("failures from many other addresses never refuse the owner at an address they signed in from", async () => {
    const account = await registered();
    const home = freshAddress();
    await t.auth.signin({ email: account, password: PASSWORD }, { ipAddress: home });
    t.clock.advance(86_400);

    // 4 failures from each of 5 addresses: 20, over the account-wide limit of 12.
    const attackers = Array.from({ length: 5 }, freshAddress);
    const codes = (await Promise.all(attackers.map((ip) => failFrom(account, ip, 4)))).flat();
    expect(codes.filter((c) => c === "INVALID_CREDENTIALS")).toHaveLength(12);
    expect(codes.filter((c) => c === "RATE_LIMITED")).toHaveLength(8);

    // The attacker stays throttled, from old and new addresses, even with the right password.
    expect(await codeOf(t.auth.signin({ email: account, password: WRONG }, { ipAddress: freshAddress() }))).toBe("RATE_LIMITED");
    expect(await codeOf(t.auth.signin({ email: account, password: PASSWORD }, { ipAddress: attackers[0] }))).toBe("RATE_LIMITED");

    // The owner at home is not.
    expect(await codeOf(t.auth.signin({ email: account, password: PASSWORD }, { ipAddress: home }))).toBeUndefined();
    const signedIn = await t.auth.signin({ email: account, password: PASSWORD }, { ipAddress: home });
    // ...nor on re-authentication for a password change.
    const current = { user: signedIn.user, session: signedIn.session };
    await expect(
      t.auth.changePassword(current, { currentPassword: PASSWORD, newPassword: PASSWORD }, { ipAddress: home }),
    ).resolves.toBeUndefined();
    // A known address still gets only its own 5 guesses.
    expect(await failFrom(account, home, 6)).toEqual([...Array(5).fill("INVALID_CREDENTIALS"), "RATE_LIMITED"]);
  });

  it("an address is known for 30 days after its last successful sign-in", async () => {
    const account = await registered();
    const home = freshAddress();
    await t.auth.signin({ email: account, password: PASSWORD }, { ipAddress: home });
    t.clock.advance(31 * 86_400);
    await Promise.all(Array.from({ length: 4 }, freshAddress).map((ip) => failFrom(account, ip, 3)));
    expect(await codeOf(t.auth.signin({ email: account, password: PASSWORD }, { ipAddress: home }))).toBe("RATE_LIMITED");
  });
});

describe("registration throttling", () => {
  const r = useAuth({ throttle: { registerMaxPerIp: 3, registerWindow: "1h" } });
  const register = (ipAddress: string) =>
    codeOf(r.auth.register({ email: email("reg"), password: PASSWORD, name: "Reg" }, { ipAddress }));

  it("allows 3 registrations per address per hour, counted atomically even when they race", async () => {
    const ip = freshAddress();
    const codes = await Promise.all(Array.from({ length: 8 }, () => register(ip)));
    expect(codes.filter((c) => c === undefined)).toHaveLength(3);
    expect(codes.filter((c) => c === "RATE_LIMITED")).toHaveLength(5);
    const error = await rejection(r.auth.register({ email: email("reg"), password: PASSWORD, name: "Reg" }, { ipAddress: ip }));
    expect(error.retryAfter).toBe(3600);
    expect(await register(freshAddress())).toBeUndefined();
    r.clock.advance(3600);
    expect(await register(ip)).toBeUndefined();
  });

  it("counts attempts that fail too: each would cost a password hash", async () => {
    const ip = freshAddress();
    const taken = email("taken");
    await r.auth.register({ email: taken, password: PASSWORD, name: "Reg" }, { ipAddress: ip });
    for (let i = 0; i < 2; i++) {
      expect(await codeOf(r.auth.register({ email: taken, password: PASSWORD, name: "Reg" }, { ipAddress: ip }))).toBe("EMAIL_TAKEN");
    }
    expect(await register(ip)).toBe("RATE_LIMITED");
  });
});
