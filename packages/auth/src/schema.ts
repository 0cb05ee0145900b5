/**
 * Tables owned by @bearer-kit/auth.
 *
 * Design:
 * - `users.email` holds the canonical address (trimmed, lower-cased, NFC) under a unique
 *   index, so concurrent registrations in different letter cases yield exactly one row.
 * - One `sessions` row per sign-in. Access tokens carry its id (`sid`); revoking the row
 *   revokes every token of that session at once, so revocation never depends on token strings.
 * - `refresh_tokens` stores only SHA-256 hashes. The partial unique index allows at most one
 *   live (un-rotated) refresh token per session, enforced by the database itself.
 * - `throttles` keeps fixed-window counters in the database so limits hold across instances.
 *   Keys are HMACs of the email and address (see throttle-keys.ts), never the values themselves.
 */
import { sql } from "drizzle-orm";
import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    createdAt: timestamptz("created_at").notNull(),
    updatedAt: timestamptz("updated_at").notNull(),
  },
  (table) => [uniqueIndex("users_email_key").on(table.email)],
);

export const sessions = pgTable(
  "sessions",
  {
    id: uuid("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestamptz("created_at").notNull(),
    lastUsedAt: timestamptz("last_used_at").notNull(),
    expiresAt: timestamptz("expires_at").notNull(),
    idleExpiresAt: timestamptz("idle_expires_at").notNull(),
    revokedAt: timestamptz("revoked_at"),
    revokedReason: text("revoked_reason"),
    userAgent: text("user_agent"),
    ipAddress: text("ip_address"),
  },
  (table) => [index("sessions_user_id_idx").on(table.userId)],
);

export const refreshTokens = pgTable(
  "refresh_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    sessionId: uuid("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    createdAt: timestamptz("created_at").notNull(),
    rotatedAt: timestamptz("rotated_at"),
  },
  (table) => [
    uniqueIndex("refresh_tokens_one_live_per_session").on(table.sessionId).where(sql`${table.rotatedAt} is null`),
  ],
);

export const throttles = pgTable("throttles", {
  key: text("key").primaryKey(),
  /** Failures (sign-in) or attempts (registration) counted in the current window. */
  failures: integer("failures").notNull(),
  /** Sign-in attempts admitted and not yet settled; they hold budget until they do. */
  pending: integer("pending").notNull().default(0),
  windowEndsAt: timestamptz("window_ends_at").notNull(),
});
