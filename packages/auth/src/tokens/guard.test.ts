import { describe, expect, it } from "vitest";
import { AuthError } from "../errors.ts";
import { createGuard } from "./guard.ts";
import type { Session, User } from "../types.ts";

const user: User = { id: "u1", email: "ann@example.com", name: "Ann", createdAt: new Date(0), emailVerified: false };
const session = { id: "s1", userId: "u1" } as Session;

function guardCounting(outcome: () => Promise<{ user: User; session: Session }>) {
  const calls = { verify: 0 };
  const guard = createGuard({
    verifyBearerToken: () => {
      calls.verify += 1;
      return outcome();
    },
    getBearerToken: async () => "token",
  });
  return { guard, calls };
}

describe("createGuard", () => {
  it("verifies once for concurrent logins with one token, and none resets the others", async () => {
    const { guard, calls } = guardCounting(async () => ({ user, session }));
    const users = await Promise.all([1, 2, 3].map(() => guard.loginUsingBearerToken("t")));
    expect(users).toEqual([user, user, user]);
    expect(calls.verify).toBe(1);
    expect(guard.check()).toBe(true);
    // Settled logins are forgotten: the next one verifies again.
    await guard.loginUsingBearerToken("t");
    expect(calls.verify).toBe(2);
  });

  it("a failed verification leaves the guard signed out, for every caller", async () => {
    const { guard } = guardCounting(async () => {
      throw new AuthError("SESSION_REVOKED", "revoked");
    });
    const results = await Promise.allSettled([guard.loginUsingBearerToken("t"), guard.loginUsingBearerToken("t")]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(guard.check()).toBe(false);
    expect(guard.user).toBeNull();
  });
});
