import type { AuthConfig } from "../config/options.ts";
import { recordSecurityEvent } from "../database/security-event-log.ts";
import { AuthError } from "../errors.ts";
import { hit } from "../throttling/counters.ts";
import type { ThrottleKeys } from "../throttling/throttle-keys.ts";
import type { ClientInfo } from "../types.ts";

/** At most one `signin_throttled` event per account per this many seconds. */
export const THROTTLED_EVENT_INTERVAL = 60;

/**
 * Records a sign-in refused with `RATE_LIMITED` for a known account (there is no change to roll
 * back, so it is a write of its own), then rethrows nothing: the caller rethrows the refusal.
 * Refused attempts cost an attacker nothing, so the log gets at most one such event per account a
 * minute: a flood cannot fill the owner's activity page or the table.
 *
 * @example await recordThrottledSignin({ config, keys }, { userId, client, error });
 */
export async function recordThrottledSignin(
  { config, keys }: { config: AuthConfig; keys: ThrottleKeys },
  refused: { userId: string; client: ClientInfo; error: unknown },
): Promise<void> {
  const { error } = refused;
  if (!(error instanceof AuthError) || error.code !== "RATE_LIMITED") return;
  const now = config.now();
  const counted = await hit(config.db, { key: keys.throttledEvents(refused.userId), limit: 1, window: THROTTLED_EVENT_INTERVAL }, now);
  if (counted.over) return;
  await recordSecurityEvent(config.db, {
    userId: refused.userId,
    type: "signin_throttled",
    at: now,
    ipAddress: refused.client.ipAddress,
    userAgent: refused.client.userAgent,
    detail: { retry_after: error.retryAfter ?? null },
  });
}
