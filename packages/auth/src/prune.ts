import { and, isNotNull, lt, or } from "drizzle-orm";
import { type Duration, parseDuration } from "./duration.ts";
import { rethrowDatabaseError } from "./lib/db-errors.ts";
import type { AuthConfig } from "./options.ts";
import { sessions, signinThrottles } from "./schema.ts";

export interface PruneResult {
  sessions: number;
  throttles: number;
}

/**
 * Deletes what can no longer matter: throttle counters whose window has ended, and sessions
 * that ended (revoked, expired or idle) more than `keep` ago, with their refresh tokens.
 * Rotated refresh tokens of live sessions stay: they are what reuse detection recognises.
 */
export async function prune(config: AuthConfig, keep: Duration = "30d"): Promise<PruneResult> {
  const seconds = parseDuration(keep);
  if (seconds === null) throw new TypeError(`auth: prune \`keep\` must be seconds or a span like "30d"`);
  const now = config.now().getTime();
  const endedBefore = new Date(now - seconds * 1000);
  const windowOpen = new Date(now - config.throttle.window * 1000);
  try {
    const throttles = await config.db
      .delete(signinThrottles)
      .where(lt(signinThrottles.windowStartedAt, windowOpen))
      .returning({ key: signinThrottles.key });
    const ended = await config.db
      .delete(sessions)
      .where(
        or(
          and(isNotNull(sessions.revokedAt), lt(sessions.revokedAt, endedBefore)),
          lt(sessions.expiresAt, endedBefore),
          lt(sessions.idleExpiresAt, endedBefore),
        ),
      )
      .returning({ id: sessions.id });
    return { sessions: ended.length, throttles: throttles.length };
  } catch (error) {
    return rethrowDatabaseError(error);
  }
}
