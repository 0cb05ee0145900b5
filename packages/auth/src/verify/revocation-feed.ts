import type { JWTVerifyGetKey } from "jose";
import { AuthError } from "../errors.ts";
import type { VerifyAlgorithm } from "./algorithms.ts";
import type { RevocationConfig } from "./revocation-options.ts";
import { type Handled, startRevocationPoller } from "./revocation-poller.ts";
import { createRevocationState } from "./revocation-state.ts";
import { readSecurityEventToken } from "./security-event-token.ts";

export interface RevocationFeed {
  /** Throws `SESSION_REVOKED` for a revoked session or a token older than a credential change, and `REVOCATION_UNAVAILABLE` while stale (unless `failOpen`). */
  check(claims: { sub: string; sid: string; iat: number }): void;
  close(): Promise<void>;
}

export interface RevocationFeedOptions {
  config: RevocationConfig;
  /** The verifier's own key resolver: the issuer signs SETs with its access-token key. */
  getKey: JWTVerifyGetKey;
  algorithms: readonly VerifyAlgorithm[];
  issuer: string;
  /** Seconds; a revocation is kept until the tokens it refuses are past `exp` plus this. */
  leeway: number;
  remoteKeys: boolean;
  now: () => Date;
}

const seconds = (date: Date) => date.getTime() / 1000;

/**
 * A verifier's view of the issuer's revocations: the poller feeds the bounded state, and
 * `check` consults it after a token's signature and claims have passed.
 *
 * @example const feed = startRevocationFeed({ config, getKey, algorithms, issuer, leeway: 60, remoteKeys: true, now });
 */
export function startRevocationFeed(options: RevocationFeedOptions): RevocationFeed {
  const { config, now } = options;
  const state = createRevocationState({ maxEntries: config.maxEntries, keepFor: config.maxTokenLifetime + options.leeway });
  let evictionsReported = 0;

  async function handle(set: string, jti: string): Promise<Handled> {
    const read = await readSecurityEventToken(set, jti, { ...options, receiver: config.receiver, now: now() });
    if (read.kind === "retry") return "retry";
    // Reported, not left queued: the same bytes fail the same way on every redelivery, and an
    // unacknowledged SET would be sent back forever.
    if (read.kind === "bad") {
      config.onWarning(`ignored the security event ${JSON.stringify(jti)} (${read.err}): ${read.reason}`);
      return { err: read.err, description: read.reason };
    }
    const at = seconds(now());
    for (const revocation of read.revocations) {
      if (revocation.kind === "session") state.revokeSession(revocation.sid, revocation.at, at);
      else state.changeCredentials(revocation.sub, revocation.at, at);
    }
    // Reported at the first drop and each time the count doubles: a full state is news once.
    if (state.evicted > 0 && state.evicted >= 2 * evictionsReported) {
      config.onWarning(`revocation state full (maxEntries ${config.maxEntries}): ${state.evicted} entries expiring soonest dropped so far`);
      evictionsReported = state.evicted;
    }
    return "ack";
  }

  const poller = startRevocationPoller({ config, handle, now });

  return {
    check(claims) {
      const at = now();
      // What is known to be revoked is refused even while the feed is stale.
      if (state.check(claims, seconds(at)) !== null) throw new AuthError("SESSION_REVOKED", "The session was revoked.");
      if (config.failOpen) return;
      const freshAt = poller.freshAt;
      if (freshAt === null || at.getTime() - freshAt > config.maxStaleness * 1000) {
        throw new AuthError("REVOCATION_UNAVAILABLE", "The issuer's revocation feed has not been reached lately; try again shortly.");
      }
    },
    close: () => poller.close(),
  };
}
