import { randomUUID } from "node:crypto";
import { and, desc, eq, gt, inArray, isNotNull, isNull, max, ne, sql } from "drizzle-orm";
import type { AuthDB } from "../database/auth-db.ts";
import { type BoundClient, cleanClientInfo } from "../throttling/client-info.ts";
import { type SessionRow, toSession, toUser, userColumns } from "../database/rows.ts";
import { createSessionUsage } from "./session-usage.ts";
import type { AuthConfig } from "../config/options.ts";
import { refreshTokens, sessions, users } from "../database/schema.ts";
import type { Session, User } from "../types.ts";
import type { AMR } from "../amr.ts";

/** Whose session opens, under which of their credential versions (read under the row lock), and what the sign-in proved. */
export interface SessionOwner {
  userId: string;
  credentialVersion: number;
  /** RFC 8176 methods, stored on the session and carried by its access tokens. */
  amr: readonly AMR[];
}

/** How a sign-in opened its session: `detail.method` of its `signin` security event. */
export type SigninMethod = "password" | "second_factor" | "passkey" | "register" | "reset";

/** A session a sign-in opens: its owner, and the way in, recorded with its `signin` event. */
export interface SigninOwner extends SessionOwner {
  method: SigninMethod;
}

/** A session just opened in a transaction, with what opening it ended (see `revokeBeyond`). */
export interface OpenedSession {
  session: Session;
  refreshToken: string;
  /** Sessions ended by the per-user limit: drop them from this instance's cache once committed. */
  evicted: string[];
  /** The sign-in came from a device new to the account: its owner is mailed once this commits. */
  newDevice?: boolean;
}

/** Watched sessions per lookup query: each takes one parameter, far below PostgreSQL's 65,535. */
export const ENDED_LOOKUP_BATCH = 1000;

export interface SessionStore {
  /** Opens a session under the user's `credentialVersion`, as the caller read it in its transaction. */
  insert(db: AuthDB, owner: SessionOwner, client: BoundClient): Promise<Session>;
  insertRefreshToken(db: AuthDB, sessionId: string, tokenHash: string): Promise<void>;
  /** The session and its user (with the user's current credential version) in one indexed query: the per-request hot path. */
  findWithUser(sessionId: string): Promise<{ session: SessionRow; user: User; credentialVersion: number } | null>;
  /**
   * Records a use of the session (queued; `last_used_at` is written at most once a minute, in
   * batches) and returns its last use as this instance knows it.
   */
  touch(session: Pick<SessionRow, "id" | "lastUsedAt">, now: Date): Date;
  /** Writes the queued uses; never rejects. */
  flushUsage(): Promise<void>;
  /** Revokes one live session; with `userId`, only if it is that user's. True when one was revoked. */
  revoke(db: AuthDB, target: { sessionId: string; userId?: string }, reason: string): Promise<boolean>;
  /** Revokes every live session of the user, but `except`. Returns how many. */
  revokeAllForUser(db: AuthDB, userId: string, options: { reason: string; except?: string }): Promise<number>;
  /**
   * Revokes the user's least recently used live sessions beyond the newest `keep`, with reason
   * `session_limit`. Returns their ids, to drop from this instance's cache once committed.
   */
  revokeBeyond(db: AuthDB, userId: string, keep: number): Promise<string[]>;
  listLive(userId: string): Promise<Session[]>;
  /** Why each of these sessions ended (see `SessionEnded.reason`); live ones are absent. */
  endedSessions(watched: readonly { id: string; userId: string }[]): Promise<Map<string, string>>;
  /**
   * The addresses the user's sessions were opened from since `since` (a sign-in succeeded
   * there), most recent first, at most `SIGNIN_ADDRESSES_MAX` of them.
   */
  signinAddresses(userId: string, since: Date): Promise<string[]>;
}

/**
 * Bounds the known-address lookup of each sign-in. An account with more distinct addresses in 30
 * days loses the exemption for its oldest ones: the account-wide counter then applies, the safe side.
 */
export const SIGNIN_ADDRESSES_MAX = 100;

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
  const usage = createSessionUsage({ db, onWarning: config.onWarning });

  /** One batch of `endedSessions`: the sessions in one query, the users of those gone in another. */
  async function endedBatch(watched: readonly { id: string; userId: string }[]): Promise<Map<string, string>> {
    const ended = new Map<string, string>();
    const rows = await db
      .select({ id: sessions.id, revokedAt: sessions.revokedAt, revokedReason: sessions.revokedReason })
      .from(sessions)
      .where(inArray(sessions.id, [...new Set(watched.map((w) => w.id))]));
    const found = new Map(rows.map((row) => [row.id, row]));
    const gone = watched.filter((w) => !found.has(w.id));
    const userIds = [...new Set(gone.map((w) => w.userId))];
    const living = userIds.length
      ? new Set((await db.select({ id: users.id }).from(users).where(inArray(users.id, userIds))).map((row) => row.id))
      : new Set<string>();
    for (const w of watched) {
      const row = found.get(w.id);
      if (row?.revokedAt) ended.set(w.id, row.revokedReason ?? "revoked");
      else if (!row) ended.set(w.id, living.has(w.userId) ? "deleted" : "account_deleted");
    }
    return ended;
  }

  return {
    async insert(tx, { userId, credentialVersion, amr }, client) {
      const now = config.now();
      const { userAgent, ipAddress, dpopJkt } = cleanClientInfo(client);
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
          credentialVersion,
          amr: [...amr],
          dpopJkt: dpopJkt ?? null,
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
      return row ? { session: row.session, user: toUser(row.user), credentialVersion: row.user.credentialVersion } : null;
    },

    touch: (session, now) => usage.use(session.id, session.lastUsedAt, now),
    flushUsage: () => usage.flush(),

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

    async revokeBeyond(tx, userId, keep) {
      const now = config.now();
      const live = and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now), gt(sessions.idleExpiresAt, now));
      const beyond = tx.select({ id: sessions.id }).from(sessions).where(live).orderBy(desc(sessions.lastUsedAt), desc(sessions.createdAt)).offset(keep);
      const rows = await tx
        .update(sessions)
        .set({ revokedAt: now, revokedReason: "session_limit" })
        .where(and(inArray(sessions.id, beyond), isNull(sessions.revokedAt)))
        .returning({ id: sessions.id });
      return rows.map((row) => row.id);
    },

    async listLive(userId) {
      // The list shows last use: what this instance has queued is written first.
      await usage.flush();
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

    async endedSessions(watched) {
      // In batches: one `IN (…)` of every watched id failed past PostgreSQL's 65,535 parameters.
      const ended = new Map<string, string>();
      for (let start = 0; start < watched.length; start += ENDED_LOOKUP_BATCH) {
        for (const [id, reason] of await endedBatch(watched.slice(start, start + ENDED_LOOKUP_BATCH))) ended.set(id, reason);
      }
      return ended;
    },

    async signinAddresses(userId, since) {
      // Revoked and ended sessions count too: what matters is that the password worked from there.
      // The stored text is compared by the caller: an IPv6 address matches by its prefix.
      const latest = max(sessions.createdAt);
      const rows = await db
        .select({ ipAddress: sessions.ipAddress, latest })
        .from(sessions)
        .where(and(eq(sessions.userId, userId), isNotNull(sessions.ipAddress), gt(sessions.createdAt, since)))
        .groupBy(sessions.ipAddress)
        .orderBy(desc(latest))
        .limit(SIGNIN_ADDRESSES_MAX);
      return rows.flatMap((row) => (row.ipAddress === null ? [] : [row.ipAddress]));
    },
  };
}
