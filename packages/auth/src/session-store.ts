import { randomUUID } from "node:crypto";
import { and, desc, eq, gt, isNull, lt, ne, sql } from "drizzle-orm";
import type { AuthDB } from "./database.ts";
import { cleanClientInfo } from "./lib/client-info.ts";
import { type SessionRow, toSession, toUser, userColumns } from "./lib/rows.ts";
import type { AuthConfig } from "./options.ts";
import { refreshTokens, sessions, users } from "./schema.ts";
import type { ClientInfo, Session, User } from "./types.ts";

/** `last_used_at` is written at most this often per session, not on every request. */
const TOUCH_INTERVAL_MS = 60_000;

export interface SessionStore {
  insert(db: AuthDB, userId: string, client: ClientInfo): Promise<Session>;
  insertRefreshToken(db: AuthDB, sessionId: string, tokenHash: string): Promise<void>;
  /** The session and its user in one indexed query: the per-request hot path. */
  findWithUser(sessionId: string): Promise<{ session: SessionRow; user: User } | null>;
  touch(session: SessionRow): Promise<void>;
  /** Revokes one live session; with `userId`, only if it is that user's. True when one was revoked. */
  revoke(db: AuthDB, target: { sessionId: string; userId?: string }, reason: string): Promise<boolean>;
  /** Revokes every live session of the user, but `except`. Returns how many. */
  revokeAllForUser(db: AuthDB, userId: string, options: { reason: string; except?: string }): Promise<number>;
  listLive(userId: string): Promise<Session[]>;
  /** True when a session of the user was opened from `ipAddress` since `since`: a sign-in succeeded there. */
  signedInFrom(userId: string, ipAddress: string, since: Date): Promise<boolean>;
}

export function createSessionStore(config: AuthConfig): SessionStore {
  const { db } = config;
  // Prepared once: the statement is parsed and planned once per connection, not per request.
  const findWithUser = db
    .select({ session: sessions, user: userColumns })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, sql.placeholder("sid")))
    .limit(1)
    .prepare("bearer_kit_session_with_user");

  return {
    async insert(tx, userId, client) {
      const now = config.now();
      const { userAgent, ipAddress } = cleanClientInfo(client);
      const [row] = await tx
        .insert(sessions)
        .values({
          id: randomUUID(),
          userId,
          createdAt: now,
          lastUsedAt: now,
          expiresAt: new Date(now.getTime() + config.refreshTtl * 1000),
          idleExpiresAt: new Date(now.getTime() + Math.min(config.refreshIdleTimeout, config.refreshTtl) * 1000),
          userAgent: userAgent ?? null,
          ipAddress: ipAddress ?? null,
        })
        .returning();
      if (!row) throw new Error("session insert returned no row");
      return toSession(row);
    },

    async insertRefreshToken(tx, sessionId, tokenHash) {
      await tx.insert(refreshTokens).values({ tokenHash, sessionId, createdAt: config.now() });
    },

    async findWithUser(sessionId) {
      const [row] = await findWithUser.execute({ sid: sessionId });
      return row ? { session: row.session, user: toUser(row.user) } : null;
    },

    async touch(session) {
      const now = config.now();
      if (now.getTime() - session.lastUsedAt.getTime() < TOUCH_INTERVAL_MS) return;
      const threshold = new Date(now.getTime() - TOUCH_INTERVAL_MS);
      // The guard on the old value keeps concurrent requests from all writing the same minute.
      await db
        .update(sessions)
        .set({ lastUsedAt: now })
        .where(and(eq(sessions.id, session.id), lt(sessions.lastUsedAt, threshold)));
    },

    async revoke(tx, { sessionId, userId }, reason) {
      const rows = await tx
        .update(sessions)
        .set({ revokedAt: config.now(), revokedReason: reason })
        .where(
          and(eq(sessions.id, sessionId), userId ? eq(sessions.userId, userId) : undefined, isNull(sessions.revokedAt)),
        )
        .returning({ id: sessions.id });
      return rows.length > 0;
    },

    async revokeAllForUser(tx, userId, { reason, except }) {
      const rows = await tx
        .update(sessions)
        .set({ revokedAt: config.now(), revokedReason: reason })
        .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), except ? ne(sessions.id, except) : undefined))
        .returning({ id: sessions.id });
      return rows.length;
    },

    async listLive(userId) {
      const now = config.now();
      const rows = await db
        .select()
        .from(sessions)
        .where(
          and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now), gt(sessions.idleExpiresAt, now)),
        )
        .orderBy(desc(sessions.lastUsedAt));
      return rows.map(toSession);
    },

    async signedInFrom(userId, ipAddress, since) {
      // Revoked and ended sessions count too: what matters is that the password worked from there.
      const rows = await db
        .select({ id: sessions.id })
        .from(sessions)
        .where(and(eq(sessions.userId, userId), eq(sessions.ipAddress, ipAddress), gt(sessions.createdAt, since)))
        .limit(1);
      return rows.length > 0;
    },
  };
}
