import type { AuthDB } from "./auth-db.ts";
import { type sessions, users } from "./schema.ts";
import { parseAMR } from "../amr.ts";
import type { Session, User } from "../types.ts";

/** A transaction handle; drizzle's transaction is a database too, so helpers accept either. */
export type Tx = Parameters<Parameters<AuthDB["transaction"]>[0]>[0];

/** The user columns that may leave the package: never `password_hash`. */
export const userColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  createdAt: users.createdAt,
  emailVerifiedAt: users.emailVerifiedAt,
  /** Internal: compared with a session's or link's own version, never exposed (see `toUser`). */
  credentialVersion: users.credentialVersion,
};

/** A user as selected with `userColumns`. */
export interface UserRow {
  id: string;
  email: string;
  name: string;
  createdAt: Date;
  emailVerifiedAt: Date | null;
  credentialVersion: number;
}

export type SessionRow = typeof sessions.$inferSelect;

export function toSession(row: SessionRow): Session {
  return {
    id: row.id,
    userId: row.userId,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    expiresAt: row.expiresAt,
    idleExpiresAt: row.idleExpiresAt,
    userAgent: row.userAgent,
    ipAddress: row.ipAddress,
    // The column only ever holds values written from the AMR constants; anything else reads as none.
    amr: parseAMR(row.amr) ?? [],
    dpopJkt: row.dpopJkt,
  };
}

export function toUser(row: UserRow): User {
  return { id: row.id, email: row.email, name: row.name, createdAt: row.createdAt, emailVerified: row.emailVerifiedAt !== null };
}

/**
 * Why a session cannot be used at `now`, or `null` when it can. `credentialVersion` is its
 * user's current one: a session opened before a credential change is over, even one that a
 * racing sign-in inserted after the change revoked the others.
 */
export function sessionProblem(row: SessionRow, now: Date, credentialVersion: number): "SESSION_REVOKED" | "TOKEN_EXPIRED" | null {
  if (row.revokedAt || row.credentialVersion !== credentialVersion) return "SESSION_REVOKED";
  if (row.expiresAt <= now || row.idleExpiresAt <= now) return "TOKEN_EXPIRED";
  return null;
}
