import { describe, expect, it } from "vitest";
import { RESET_MAX_PER_IP } from "../../src/recovery/account-recovery.ts";
import { codeOf } from "../codes.ts";
import { email, PASSWORD, useAuth } from "../fixture.ts";

// Per-address limits small enough to reach: 3 registrations, 8 failed sign-ins per address,
// 5 per account and address, 12 per account.
// No mailer: the reset-request cases count requests, not mail, and the warning would only be noise.
const t = useAuth({ throttle: { registerMaxPerIp: 3, maxFailures: 5, maxPerIp: 8, maxFailuresPerAccount: 12 }, onWarning: () => {} });

const WRONG = "wrong password";
let nextNetwork = 1;
/** A /64 (documentation range) no other test has used: `host(n)` is one of its addresses. */
function freshNetwork() {
  const network = `2001:db8:${(nextNetwork++).toString(16)}:1`;
  return { host: (n: number) => `${network}:${n.toString(16)}:${(n * 7).toString(16)}:0:${n.toString(16)}` };
}
let nextIPv4 = 1;
const freshIPv4 = () => `198.51.100.${nextIPv4++}`;

const register = (ipAddress: string) => codeOf(t.auth.register({ email: email("v6"), password: PASSWORD, name: "Vee" }, { ipAddress }));
const requestReset = (ipAddress: string) => codeOf(t.auth.requestPasswordReset({ email: email("v6-reset") }, { ipAddress }));
const signin = (account: string, password: string, ipAddress: string) => codeOf(t.auth.signin({ email: account, password }, { ipAddress }));

async function registered(): Promise<string> {
  const account = email("v6-owner");
  await t.withOptions({ throttle: { registerMaxPerIp: 100_000 } }).register({ email: account, password: PASSWORD, name: "Owner" });
  return account;
}

describe("IPv6 clients are throttled by their /64", () => {
  it("registrations: addresses of one /64 share one budget, another /64 has its own", async () => {
    const network = freshNetwork();
    // Each attempt from a new address of the same network, as a client rotating through its /64 would.
    const codes = [];
    for (let n = 1; n <= 4; n++) codes.push(await register(network.host(n)));
    expect(codes).toEqual([undefined, undefined, undefined, "RATE_LIMITED"]);
    expect(await register(freshNetwork().host(1))).toBeUndefined();
  });

  it("password-reset requests: addresses of one /64 share the per-address limit", async () => {
    const network = freshNetwork();
    for (let n = 1; n <= RESET_MAX_PER_IP; n++) expect(await requestReset(network.host(n))).toBeUndefined();
    expect(await requestReset(network.host(RESET_MAX_PER_IP + 1))).toBe("RATE_LIMITED");
    expect(await requestReset(freshNetwork().host(1))).toBeUndefined();
  });

  it("failed sign-ins: one /64 spraying many accounts shares the per-address limit", async () => {
    const network = freshNetwork();
    const codes = [];
    for (let n = 1; n <= 9; n++) codes.push(await signin(email("v6-spray"), WRONG, network.host(n)));
    expect(codes).toEqual([...Array(8).fill("INVALID_CREDENTIALS"), "RATE_LIMITED"]);
    expect(await signin(email("v6-spray"), WRONG, freshNetwork().host(1))).toBe("INVALID_CREDENTIALS");
  });

  it("failed sign-ins: one account guessed from one /64 gets 5 guesses, whatever the addresses", async () => {
    const account = await registered();
    const network = freshNetwork();
    for (let n = 1; n <= 5; n++) expect(await signin(account, WRONG, network.host(n))).toBe("INVALID_CREDENTIALS");
    expect(await signin(account, PASSWORD, network.host(6))).toBe("RATE_LIMITED");
    expect(await signin(account, PASSWORD, freshNetwork().host(1))).toBeUndefined();
  });

  it("the owner's known network stays exempt after their privacy address changes", async () => {
    const account = await registered();
    const home = freshNetwork();
    await t.auth.signin({ email: account, password: PASSWORD }, { ipAddress: home.host(1) });
    t.clock.advance(86_400);
    // 4 failures from each of 4 other networks: 16, over the account-wide 12.
    const attackers = Array.from({ length: 4 }, freshNetwork);
    for (const attacker of attackers) for (let n = 1; n <= 4; n++) await signin(account, WRONG, attacker.host(n));
    expect(await signin(account, PASSWORD, freshNetwork().host(1))).toBe("RATE_LIMITED");
    // A day later the owner's address within the same /64 is another one.
    expect(await signin(account, PASSWORD, home.host(2))).toBeUndefined();
  });
});

describe("IPv4-mapped IPv6 addresses count as their IPv4 address", () => {
  it("shares the registration budget between ::ffff:a.b.c.d and a.b.c.d", async () => {
    const ipv4 = freshIPv4();
    expect(await register(ipv4)).toBeUndefined();
    expect(await register(`::ffff:${ipv4}`)).toBeUndefined();
    expect(await register(`::FFFF:${ipv4}`)).toBeUndefined();
    expect(await register(ipv4)).toBe("RATE_LIMITED");
  });

  it("shares the per-address sign-in limit", async () => {
    const ipv4 = freshIPv4();
    for (let i = 0; i < 4; i++) expect(await signin(email("v4-spray"), WRONG, ipv4)).toBe("INVALID_CREDENTIALS");
    for (let i = 0; i < 4; i++) expect(await signin(email("v4-spray"), WRONG, `::ffff:${ipv4}`)).toBe("INVALID_CREDENTIALS");
    expect(await signin(email("v4-spray"), WRONG, ipv4)).toBe("RATE_LIMITED");
  });
});

describe("ipv6Prefix", () => {
  it("128 keys on the full address again", async () => {
    const full = t.withOptions({ throttle: { registerMaxPerIp: 1, ipv6Prefix: 128 } });
    const network = freshNetwork();
    for (let n = 1; n <= 4; n++) {
      expect(await codeOf(full.register({ email: email("v6-full"), password: PASSWORD, name: "Full" }, { ipAddress: network.host(n) }))).toBeUndefined();
    }
    const again = await codeOf(full.register({ email: email("v6-full"), password: PASSWORD, name: "Full" }, { ipAddress: network.host(1) }));
    expect(again).toBe("RATE_LIMITED");
  });

  it("48 puts the /64s of one /48 into one budget", async () => {
    const wide = t.withOptions({ throttle: { registerMaxPerIp: 2, ipv6Prefix: 48 } });
    const site = `2001:db8:ab${(nextNetwork++).toString(16).padStart(2, "0")}`;
    const attempt = (subnet: number) =>
      codeOf(wide.register({ email: email("v6-wide"), password: PASSWORD, name: "Wide" }, { ipAddress: `${site}:${subnet}::1` }));
    expect([await attempt(1), await attempt(2), await attempt(3)]).toEqual([undefined, undefined, "RATE_LIMITED"]);
  });
});
