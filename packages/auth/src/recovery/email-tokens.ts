import { randomUUID } from "node:crypto";
import { and, eq, gt, inArray, isNull } from "drizzle-orm";
import type { AuthDB } from "../database/auth-db.ts";
import { AuthError } from "../errors.ts";
import type { AuthConfig } from "../config/options.ts";
import { emailTokens, type EmailTokenPurpose, users } from "../database/schema.ts";
import { lockCredentialVersion } from "../database/credential-version.ts";
import { randomToken, sha256 } from "../lib/crypto.ts";

/** Verification and email-change links live a day: people read mail later than they reset passwords. */
export const VERIFY_TTL = 86_400;

// The purpose is in the token string as well as in its row. The prefix makes a token from one
// flow malformed in every other (and a refresh token, 43 bare characters, malformed in all of
// them), so it fails before any look-up; the stored purpose is what is trusted. Verification and
// email change share `/verify-email`, so they share a prefix and the row decides which it is.
const PREFIX: Readonly<Record<EmailTokenPurpose, string>> = {
  password_reset: "reset_",
  verify_email: "verify_",
  change_email: "verify_",
  not_me: "notme_",
};

export type EmailTokenRow = typeof emailTokens.$inferSelect;

/** Writes and consumes the single-use tokens mailed in links. Only SHA-256 hashes are stored. */
export interface EmailTokens {
  /**
   * A new token for the user, superseding their live tokens of the same purpose (a new reset
   * request voids the old link). Locks the user row: concurrent requests leave one live token.
   * The token records the account's credential version: any credential change voids it.
   */
  issue(tx: AuthDB, request: { userId: string; purpose: EmailTokenPurpose; newEmail?: string; ttl: number }): Promise<string>;
  /** Throws the `LINK_*` reason when `token` could not be consumed now; reads only. */
  check(db: AuthDB, token: string, purposes: readonly EmailTokenPurpose[]): Promise<EmailTokenRow>;
  /**
   * Marks the token used and returns its row, or throws the `LINK_*` reason. Exactly one caller
   * wins. Locks the user row first, so no credential change can commit between this check of
   * the token's version and the caller's use of it in the same transaction.
   */
  consume(tx: AuthDB, token: string, purposes: readonly EmailTokenPurpose[]): Promise<EmailTokenRow>;
}

const invalid = () => new AuthError("LINK_INVALID", "This link is not valid.");

function wellFormed(token: unknown, purposes: readonly EmailTokenPurpose[]): token is string {
  if (typeof token !== "string") return false;
  return purposes.some((purpose) => {
    const prefix = PREFIX[purpose];
    return token.length === prefix.length + 43 && token.startsWith(prefix) && /^[A-Za-z0-9_-]{43}$/.test(token.slice(prefix.length));
  });
}

export function createEmailTokens(config: AuthConfig): EmailTokens {
  /**
   * Why the token with this hash cannot be used: unknown and other-purpose look alike, and so
   * does a link issued before a credential change (a password reset, say), which is void.
   */
  async function reason(db: AuthDB, hash: string, purposes: readonly EmailTokenPurpose[]): Promise<AuthError> {
    const [row] = await db
      .select({ token: emailTokens, version: users.credentialVersion })
      .from(emailTokens)
      .innerJoin(users, eq(users.id, emailTokens.userId))
      .where(eq(emailTokens.tokenHash, hash))
      .limit(1);
    if (!row || !purposes.includes(row.token.purpose)) return invalid();
    if (row.token.usedAt) return new AuthError("LINK_USED", "This link was already used or replaced by a newer one.");
    if (row.token.credentialVersion !== row.version) return invalid();
    return new AuthError("LINK_EXPIRED", "This link has expired.");
  }

  const usable = (hash: string, purposes: readonly EmailTokenPurpose[], now: Date) =>
    and(eq(emailTokens.tokenHash, hash), inArray(emailTokens.purpose, [...purposes]), isNull(emailTokens.usedAt), gt(emailTokens.expiresAt, now));

  return {
    async issue(tx, { userId, purpose, newEmail, ttl }) {
      const now = config.now();
      const credentialVersion = await lockCredentialVersion(tx, userId);
      if (credentialVersion === null) throw invalid();
      await tx
        .update(emailTokens)
        .set({ usedAt: now })
        .where(and(eq(emailTokens.userId, userId), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt)));
      const token = `${PREFIX[purpose]}${randomToken()}`;
      await tx.insert(emailTokens).values({
        id: randomUUID(),
        userId,
        purpose,
        // SHA-256, not the token: 256 random bits cannot be guessed back from the hash, so a
        // leaked table (or backup) holds no working link.
        tokenHash: sha256(token),
        newEmail: newEmail ?? null,
        createdAt: now,
        expiresAt: new Date(now.getTime() + ttl * 1000),
        credentialVersion,
      });
      return token;
    },

    async check(db, token, purposes) {
      if (!wellFormed(token, purposes)) throw invalid();
      const hash = sha256(token);
      const [row] = await db
        .select({ token: emailTokens })
        .from(emailTokens)
        .innerJoin(users, and(eq(users.id, emailTokens.userId), eq(users.credentialVersion, emailTokens.credentialVersion)))
        .where(usable(hash, purposes, config.now()))
        .limit(1);
      if (row) return row.token;
      throw await reason(db, hash, purposes);
    },

    async consume(tx, token, purposes) {
      if (!wellFormed(token, purposes)) throw invalid();
      const hash = sha256(token);
      const [owner] = await tx.select({ userId: emailTokens.userId }).from(emailTokens).where(eq(emailTokens.tokenHash, hash)).limit(1);
      const credentialVersion = owner ? await lockCredentialVersion(tx, owner.userId) : null;
      if (credentialVersion === null) throw await reason(tx, hash, purposes);
      // One conditional UPDATE: concurrent uses queue on the row lock, and every one after the
      // first finds `used_at` set when PostgreSQL re-checks the condition. Exactly one wins.
      const [row] = await tx
        .update(emailTokens)
        .set({ usedAt: config.now() })
        .where(and(usable(hash, purposes, config.now()), eq(emailTokens.credentialVersion, credentialVersion)))
        .returning();
      if (row) return row;
      throw await reason(tx, hash, purposes);
    },
  };
}
