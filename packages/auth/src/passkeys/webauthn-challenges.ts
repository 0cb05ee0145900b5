/**
 * The challenges of passkey ceremonies (`webauthn_challenges`). A challenge is what the
 * authenticator signs; keeping it server-side, alive `WEBAUTHN_CHALLENGE_TTL` seconds and usable
 * once, is what makes a captured assertion worthless.
 *
 * - 256 random bits, stored as their SHA-256: a database dump holds no challenge to answer.
 * - Bound to one ceremony (`purpose`) and, except a usernameless sign-in, to one user and the
 *   credential version it was issued under; a second step's also to its `mfa_challenges` row.
 * - Consumed by one conditional UPDATE: of two answers racing for one challenge, exactly one
 *   finds it unused (PostgreSQL re-checks the WHERE on the row the first one updated). An answer
 *   that then fails verification still used it up.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { and, eq, gt, isNull } from "drizzle-orm";
import type { AuthDB } from "../database/auth-db.ts";
import type { AuthConfig } from "../config/options.ts";
import { webauthnChallenges } from "../database/schema.ts";

/** Seconds a challenge lives: the time to pick a passkey and touch a sensor, short for a replay. */
export const WEBAUTHN_CHALLENGE_TTL = 300;

/** The ceremony a challenge may answer. */
export type CeremonyPurpose = "signin" | "second_step" | "confirm" | "register";

export interface CeremonyBinding {
  userId?: string;
  credentialVersion?: number;
  mfaChallengeId?: string;
}

/** A challenge just used up, with what it was bound to. */
export interface ConsumedChallenge {
  challenge: string;
  userId: string | null;
  credentialVersion: number | null;
  mfaChallengeId: string | null;
}

export interface WebAuthnChallenges {
  /** A new challenge (base64url) for `purpose`; insert in the caller's transaction. */
  issue(tx: AuthDB, purpose: CeremonyPurpose, binding?: CeremonyBinding): Promise<string>;
  /** Uses `challenge` up if it is unused, alive and for `purpose`; `null` otherwise. */
  consume(tx: AuthDB, challenge: string, purpose: CeremonyPurpose): Promise<ConsumedChallenge | null>;
}

const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

const hashChallenge = (challenge: string): string => createHash("sha256").update(challenge, "utf8").digest("base64url");

export function createWebAuthnChallenges(config: Pick<AuthConfig, "now">): WebAuthnChallenges {
  return {
    async issue(tx, purpose, binding = {}) {
      const challenge = randomBytes(32).toString("base64url");
      const now = config.now();
      await tx.insert(webauthnChallenges).values({
        id: randomUUID(),
        challengeHash: hashChallenge(challenge),
        purpose,
        userId: binding.userId ?? null,
        credentialVersion: binding.credentialVersion ?? null,
        mfaChallengeId: binding.mfaChallengeId ?? null,
        createdAt: now,
        expiresAt: new Date(now.getTime() + WEBAUTHN_CHALLENGE_TTL * 1000),
      });
      return challenge;
    },

    async consume(tx, challenge, purpose) {
      if (!CHALLENGE.test(challenge)) return null;
      const now = config.now();
      const [row] = await tx
        .update(webauthnChallenges)
        .set({ usedAt: now })
        .where(
          and(
            eq(webauthnChallenges.challengeHash, hashChallenge(challenge)),
            eq(webauthnChallenges.purpose, purpose),
            isNull(webauthnChallenges.usedAt),
            gt(webauthnChallenges.expiresAt, now),
          ),
        )
        .returning({
          userId: webauthnChallenges.userId,
          credentialVersion: webauthnChallenges.credentialVersion,
          mfaChallengeId: webauthnChallenges.mfaChallengeId,
        });
      return row ? { challenge, ...row } : null;
    },
  };
}
