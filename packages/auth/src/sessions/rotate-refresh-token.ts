import { and, eq, isNull } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { type SessionRow, sessionProblem, toSession, toUser, type Tx, userColumns } from "../database/rows.ts";
import type { AuthConfig } from "../config/options.ts";
import type { RefreshTokens } from "./refresh-token.ts";
import { recordSecurityEvent } from "../database/security-event-log.ts";
import { refreshTokens, sessions, users } from "../database/schema.ts";
import type { SessionStore } from "./session-store.ts";
import type { Session, User } from "../types.ts";

// Aliases: PostgreSQL wants `FOR UPDATE OF` unqualified, and drizzle names a table of a pgSchema
// with its schema; an alias is named alone. The user row is left unlocked.
const lockedToken = alias(refreshTokens, "rt");
const lockedSession = alias(sessions, "s");

export type Rotation =
  | { kind: "rotated"; refreshToken: string; session: Session; user: User }
  | { kind: "unknown" }
  | { kind: "revoked" }
  | { kind: "expired" }
  | { kind: "wrong_key" }
  | { kind: "reused"; sessionId: string; user: User; session: Session };

/**
 * Exchanges a refresh token for its successor, in one transaction that locks the token's row
 * and its session's row, so concurrent refreshes of one session run one after another.
 *
 * - A live token is marked rotated and its successor becomes the session's one live token.
 * - A token rotated within `refreshReuseInterval` whose successor is still live gets that same
 *   successor again (a retry after a lost response, or two tabs racing): no fork, no sign-out.
 * - Any other rotated token is reuse, a sign of theft: the whole session is revoked, which
 *   also ends every access token carrying its id.
 *
 * - A session bound to a DPoP key needs a proof from that key (`wrong_key` otherwise); an
 *   unbound one stays unbound whatever proof comes with it.
 *
 * The result is returned, not thrown, so the revocation commits before the caller raises.
 */
export async function rotateRefreshToken(
  { config, tokens, store }: { config: AuthConfig; tokens: RefreshTokens; store: SessionStore },
  presented: string,
  /** The thumbprint of the key whose proof came with the refresh (verified), or `null` for none. */
  dpopJkt: string | null,
): Promise<Rotation> {
  const successor = tokens.successor(presented);
  return config.db.transaction(async (tx) => {
    const now = config.now();
    const [row] = await tx
      .select({ token: lockedToken, session: lockedSession, user: userColumns })
      .from(lockedToken)
      .innerJoin(lockedSession, eq(lockedSession.id, lockedToken.sessionId))
      .innerJoin(users, eq(users.id, lockedSession.userId))
      .where(eq(lockedToken.tokenHash, tokens.hash(presented)))
      .for("update", { of: [lockedToken, lockedSession] });
    if (!row) return { kind: "unknown" };

    const problem = sessionProblem(row.session, now, row.user.credentialVersion);
    if (problem === "SESSION_REVOKED") return { kind: "revoked" };
    if (problem === "TOKEN_EXPIRED") return { kind: "expired" };
    // A bound session is refreshed only with its key, checked before anything is rotated: a
    // refresh token copied without the key is useless, and trying it consumes nothing (nor is it
    // taken for reuse, which would let a thief without the key sign the owner out).
    if (row.session.dpopJkt !== null && row.session.dpopJkt !== dpopJkt) return { kind: "wrong_key" };

    const successorHash = tokens.hash(successor);
    const rotatedAt = row.token.rotatedAt;
    if (rotatedAt === null) {
      await tx.update(refreshTokens).set({ rotatedAt: now }).where(eq(refreshTokens.tokenHash, row.token.tokenHash));
      await tx.insert(refreshTokens).values({ tokenHash: successorHash, sessionId: row.session.id, createdAt: now });
      const session = await extend(tx, row.session, now);
      return { kind: "rotated", refreshToken: successor, session, user: toUser(row.user) };
    }

    const withinGrace = now.getTime() - rotatedAt.getTime() <= config.refreshReuseInterval * 1000;
    if (withinGrace) {
      const [live] = await tx
        .select({ tokenHash: refreshTokens.tokenHash })
        .from(refreshTokens)
        .where(and(eq(refreshTokens.tokenHash, successorHash), isNull(refreshTokens.rotatedAt)));
      if (live) return { kind: "rotated", refreshToken: successor, session: toSession(row.session), user: toUser(row.user) };
    }

    await store.revoke(tx, { sessionId: row.session.id }, "refresh_token_reused");
    // Besides the session_revoked the trigger writes: the owner sees why, and is told (an alert).
    await recordSecurityEvent(tx, { userId: row.session.userId, type: "refresh_token_reused", at: now, sessionId: row.session.id });
    return { kind: "reused", sessionId: row.session.id, user: toUser(row.user), session: toSession(row.session) };
  });

  async function extend(tx: Tx, session: SessionRow, now: Date): Promise<Session> {
    const idle = Math.min(now.getTime() + config.refreshIdleTimeout * 1000, session.expiresAt.getTime());
    const [updated] = await tx
      .update(sessions)
      .set({ idleExpiresAt: new Date(idle), lastUsedAt: now })
      .where(eq(sessions.id, session.id))
      .returning();
    return toSession(updated ?? session);
  }
}
