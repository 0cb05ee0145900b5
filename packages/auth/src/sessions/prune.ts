import { and, isNotNull, lt, or } from "drizzle-orm";
import { type Duration, parseDuration } from "../config/duration.ts";
import { rethrowDatabaseError } from "../database/db-errors.ts";
import type { AuthConfig } from "../config/options.ts";
import { pruneProofs } from "../dpop/dpop-replay.ts";
import { emailTokens, mfaChallenges, securityEvents, sessions, throttles, webauthnChallenges } from "../database/schema.ts";

export interface PruneResult {
  sessions: number;
  throttles: number;
  emailTokens: number;
  /** Second steps of sign-ins (mfaTokens) past their 5 minutes, answered or not. */
  mfaChallenges: number;
  /** Passkey ceremony challenges past their 5 minutes, answered or not. */
  webauthnChallenges: number;
  /** DPoP proofs whose `iat` left the window: their replay is refused for their age already. */
  dpopProofs: number;
  /** Security events older than `securityEventsRetention` (90 days by default), with their undelivered feed entries. */
  securityEvents: number;
}

/**
 * Deletes what can no longer matter: throttle counters whose window has ended, and sessions
 * that ended (revoked, expired or idle) more than `keep` ago, with their refresh tokens.
 * Email tokens go once expired, used or not (a used one says `LINK_USED` until then; after,
 * an old link answers `LINK_INVALID`, which asks for the same thing: a new link).
 * Rotated refresh tokens of live sessions stay: they are what reuse detection recognises.
 * A sign-in's second step (`mfa_challenges`) and a passkey challenge (`webauthn_challenges`) go
 * once expired: neither can ever be answered then.
 * Security events go once older than `securityEventsRetention`, whatever `keep` says: the log
 * holds personal data (addresses, browsers) and keeps it no longer than promised.
 */
export async function prune(config: AuthConfig, keep: Duration = "30d"): Promise<PruneResult> {
  const seconds = parseDuration(keep);
  if (seconds === null) throw new TypeError(`auth: prune \`keep\` must be seconds or a span like "30d"`);
  const now = config.now().getTime();
  const endedBefore = new Date(now - seconds * 1000);
  try {
    const counters = await config.db
      .delete(throttles)
      .where(lt(throttles.windowEndsAt, new Date(now)))
      .returning({ key: throttles.key });
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
    const links = await config.db
      .delete(emailTokens)
      .where(lt(emailTokens.expiresAt, new Date(now)))
      .returning({ id: emailTokens.id });
    const challenges = await config.db
      .delete(mfaChallenges)
      .where(lt(mfaChallenges.expiresAt, new Date(now)))
      .returning({ id: mfaChallenges.id });
    const ceremonies = await config.db
      .delete(webauthnChallenges)
      .where(lt(webauthnChallenges.expiresAt, new Date(now)))
      .returning({ id: webauthnChallenges.id });
    const events = await config.db
      .delete(securityEvents)
      .where(lt(securityEvents.createdAt, new Date(now - config.securityEventsRetention * 1000)))
      .returning({ id: securityEvents.id });
    const proofs = await pruneProofs(config.db, new Date(now));
    return {
      dpopProofs: proofs,
      securityEvents: events.length,
      sessions: ended.length,
      throttles: counters.length,
      emailTokens: links.length,
      mfaChallenges: challenges.length,
      webauthnChallenges: ceremonies.length,
    };
  } catch (error) {
    return rethrowDatabaseError(error);
  }
}
