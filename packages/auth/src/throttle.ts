import { eq, sql } from "drizzle-orm";
import { AuthError } from "./errors.ts";
import { sha256 } from "./lib/crypto.ts";
import type { AuthConfig } from "./options.ts";
import { signinThrottles } from "./schema.ts";

export interface ThrottleKeys {
  account: string;
  ip: string | null;
}

export interface SigninThrottle {
  keys(email: string, ip: string | null | undefined): ThrottleKeys;
  /**
   * Counts this attempt before the password is checked; throws `RATE_LIMITED` when either
   * count is over its limit. Counting first and atomically is what stops concurrent attempts
   * (a tRPC batch runs its calls concurrently) from all slipping past the check.
   */
  acquire(keys: ThrottleKeys): Promise<void>;
  /** After a success: the account's count resets and the address's attempt is taken back. */
  succeeded(keys: ThrottleKeys): Promise<void>;
}

export function createSigninThrottle(config: AuthConfig): SigninThrottle {
  const { db, throttle } = config;

  /** Adds one to a fixed-window counter, opening a new window when the old one ended. */
  async function increment(key: string): Promise<{ count: number; windowStartedAt: Date }> {
    const now = config.now();
    const windowOpen = new Date(now.getTime() - throttle.window * 1000);
    const expired = sql`${signinThrottles.windowStartedAt} <= ${windowOpen.toISOString()}::timestamptz`;
    const [row] = await db
      .insert(signinThrottles)
      .values({ key, count: 1, windowStartedAt: now })
      .onConflictDoUpdate({
        target: signinThrottles.key,
        set: {
          count: sql`case when ${expired} then 1 else ${signinThrottles.count} + 1 end`,
          windowStartedAt: sql`case when ${expired} then ${now.toISOString()}::timestamptz else ${signinThrottles.windowStartedAt} end`,
        },
      })
      .returning({ count: signinThrottles.count, windowStartedAt: signinThrottles.windowStartedAt });
    if (!row) throw new Error("throttle upsert returned no row");
    return row;
  }

  function retryAfter(windowStartedAt: Date): number {
    const endsAt = windowStartedAt.getTime() + throttle.window * 1000;
    return Math.max(1, Math.ceil((endsAt - config.now().getTime()) / 1000));
  }

  return {
    keys(email, ip) {
      // Hashed: the table then holds no address of anyone who merely tried to sign in.
      return { account: `account:${sha256(email)}`, ip: ip ? `ip:${ip}` : null };
    },

    async acquire(keys) {
      const account = await increment(keys.account);
      const address = keys.ip ? await increment(keys.ip) : null;
      const waits: number[] = [];
      if (account.count > throttle.maxFailures) waits.push(retryAfter(account.windowStartedAt));
      if (address && address.count > throttle.maxPerIp) waits.push(retryAfter(address.windowStartedAt));
      if (waits.length > 0) {
        const seconds = Math.max(...waits);
        throw new AuthError("RATE_LIMITED", `Too many sign-in attempts. Try again in ${seconds} seconds.`, {
          retryAfter: seconds,
        });
      }
    },

    async succeeded(keys) {
      await db.delete(signinThrottles).where(eq(signinThrottles.key, keys.account));
      if (keys.ip) {
        await db
          .update(signinThrottles)
          .set({ count: sql`greatest(${signinThrottles.count} - 1, 0)` })
          .where(eq(signinThrottles.key, keys.ip));
      }
    },
  };
}
