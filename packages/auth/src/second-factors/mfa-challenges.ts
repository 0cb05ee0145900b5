/**
 * The stored second steps of sign-ins (`mfa_challenges`), one row per `mfaToken`: see
 * mfa-token.ts for the rules. Rows go once expired (`prune`).
 */
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { AuthDB } from "../database/auth-db.ts";
import { cleanClientInfo } from "../throttling/client-info.ts";
import { lockCredentialVersion } from "../database/credential-version.ts";
import type { AuthConfig } from "../config/options.ts";
import { mfaChallenges } from "../database/schema.ts";
import type { ClientInfo } from "../types.ts";
import { createMFAToken, hashMFAToken, isWellFormedMFAToken, MFA_TOKEN_TTL, mfaChallengeUsable } from "./mfa-token.ts";

/** A challenge that may be answered now, locked for the caller's transaction. */
export interface OpenChallenge {
  id: string;
  userId: string;
  /** The credential version it was issued under, which is still the user's. */
  credentialVersion: number;
}

export interface MFAChallenges {
  /** A new token for a sign-in whose password matched under `credentialVersion`; insert in the transaction that checked it. */
  issue(tx: AuthDB, owner: { userId: string; credentialVersion: number }, client: ClientInfo): Promise<string>;
  /** Whose challenge this token is, if any; reads only (for the throttle, before the transaction). */
  owner(db: AuthDB, token: string): Promise<string | null>;
  /**
   * Locks the user row, then the challenge's, and returns it if this client may answer it now;
   * `null` when the token is unknown, used, expired, out of attempts, from another address, or
   * issued before a credential change.
   */
  open(tx: AuthDB, token: string, client: ClientInfo): Promise<OpenChallenge | null>;
  /** Counts a wrong code; at `maxFailures` the token is dead. */
  failed(tx: AuthDB, id: string): Promise<void>;
  /** Marks it answered: the token never works again. */
  used(tx: AuthDB, id: string): Promise<void>;
}

export function createMFAChallenges(config: Pick<AuthConfig, "now">, { maxFailures }: { maxFailures: number }): MFAChallenges {
  return {
    async issue(tx, { userId, credentialVersion }, rawClient) {
      const { ipAddress, userAgent } = cleanClientInfo(rawClient);
      const { token, hash } = createMFAToken();
      const now = config.now();
      await tx.insert(mfaChallenges).values({
        id: randomUUID(),
        tokenHash: hash,
        userId,
        credentialVersion,
        ipAddress: ipAddress ?? null,
        userAgent: userAgent ?? null,
        createdAt: now,
        expiresAt: new Date(now.getTime() + MFA_TOKEN_TTL * 1000),
      });
      return token;
    },

    async owner(db, token) {
      if (!isWellFormedMFAToken(token)) return null;
      const [row] = await db.select({ userId: mfaChallenges.userId }).from(mfaChallenges).where(eq(mfaChallenges.tokenHash, hashMFAToken(token)));
      return row?.userId ?? null;
    },

    async open(tx, token, rawClient) {
      if (!isWellFormedMFAToken(token)) return null;
      const hash = hashMFAToken(token);
      const [owner] = await tx.select({ userId: mfaChallenges.userId }).from(mfaChallenges).where(eq(mfaChallenges.tokenHash, hash));
      if (!owner) return null;
      // The user row first, as every credential change takes it: a change either committed
      // before (and the version differs) or waits until this answer is done.
      const credentialVersion = await lockCredentialVersion(tx, owner.userId);
      const [row] = await tx.select().from(mfaChallenges).where(eq(mfaChallenges.tokenHash, hash)).for("update");
      if (!row) return null;
      const { ipAddress } = cleanClientInfo(rawClient);
      const usable = mfaChallengeUsable(row, { now: config.now(), ipAddress: ipAddress ?? null, credentialVersion, maxFailures });
      return usable ? { id: row.id, userId: row.userId, credentialVersion: row.credentialVersion } : null;
    },

    async failed(tx, id) {
      await tx
        .update(mfaChallenges)
        .set({ failures: sql`${mfaChallenges.failures} + 1` })
        .where(eq(mfaChallenges.id, id));
    },

    async used(tx, id) {
      await tx.update(mfaChallenges).set({ usedAt: config.now() }).where(eq(mfaChallenges.id, id));
    },
  };
}
