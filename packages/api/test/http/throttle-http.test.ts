import { describe, expect, it } from "vitest";
import { email, PASSWORD } from "../fixture.ts";
import { type ErrorBody, useHttp } from "../http-fixture.ts";

// One trusted proxy: the X-Forwarded-For entry it would have appended is the client's address,
// so each request here can come from an address of the test's choosing.
const h = useHttp(
  { throttle: { maxFailures: 5, maxFailuresPerAccount: 12, maxPerIp: 100, registerMaxPerIp: 3, registerWindow: "1h" } },
  { trustedProxies: 1 },
);
const from = (ip: string) => ({ "x-forwarded-for": ip });
const signin = (account: string, password: string, ip: string) => h.post("auth.signin", { email: account, password }, from(ip));

async function authCode(response: Response): Promise<string | null> {
  if (response.ok) return null;
  return ((await response.json()) as ErrorBody).error.data.authCode;
}

describe("sign-in throttling over HTTP, behind a trusted proxy", () => {
  it("an attacker's failures from other addresses never lock the owner out at their known address", async () => {
    const account = email();
    const home = "198.51.100.10";
    expect((await h.post("auth.register", { email: account, password: PASSWORD, name: "Ann" }, from(home))).status).toBe(200);

    const codes: (string | null)[] = [];
    for (const host of [1, 2, 3, 4]) {
      for (let i = 0; i < 4; i++) codes.push(await authCode(await signin(account, "wrong password", `192.0.2.${host}`)));
    }
    expect(codes.filter((c) => c === "INVALID_CREDENTIALS")).toHaveLength(12);
    expect(codes.filter((c) => c === "RATE_LIMITED")).toHaveLength(4);

    // The owner, at the address they registered from, signs in.
    const owner = await signin(account, PASSWORD, home);
    expect(owner.status).toBe(200);

    // The attacker, from anywhere else, is still throttled, and told how long to wait.
    const attacker = await signin(account, PASSWORD, "192.0.2.99");
    expect(attacker.status).toBe(429);
    expect(Number(attacker.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await authCode(attacker)).toBe("RATE_LIMITED");
  });
});

describe("registration throttling over HTTP", () => {
  it("allows 3 registrations per address, then answers 429 with Retry-After", async () => {
    const register = (ip: string) => h.post("auth.register", { email: email("reg"), password: PASSWORD, name: "Reg" }, from(ip));
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await register("198.51.100.20")).status);
    expect(statuses).toEqual([200, 200, 200]);
    const refused = await register("198.51.100.20");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("3600");
    expect(await authCode(refused)).toBe("RATE_LIMITED");
    expect((await register("198.51.100.21")).status).toBe(200);
  });
});
