import { and, desc, eq, lt, or } from "drizzle-orm";
import type { AuthDB } from "../database/auth-db.ts";
import { type SecurityEventType, securityEvents } from "../database/schema.ts";
import { AuthError } from "../errors.ts";
import { isUUID } from "../lib/uuid.ts";

/** One entry of a user's activity log, as `securityEvents` returns it. */
export interface SecurityEvent {
  id: string;
  type: SecurityEventType;
  createdAt: Date;
  ipAddress: string | null;
  userAgent: string | null;
  sessionId: string | null;
  /** Small and never secret: `signin` has `method`, `amr`, `new_device`, `device`; `session_revoked` its `reason`. */
  detail: Record<string, unknown>;
}

/** A page of events, newest first; `nextCursor` asks for the older ones, `null` at the end. */
export interface SecurityEventPage {
  events: SecurityEvent[];
  nextCursor: string | null;
}

export const SECURITY_EVENTS_DEFAULT_LIMIT = 20;
export const SECURITY_EVENTS_MAX_LIMIT = 100;

const badCursor = () => new AuthError("INVALID_INPUT", "The cursor is not valid.", { fieldErrors: { cursor: ["The cursor is not valid"] } });

/** Opaque to callers: where the last event of a page sits in the (created_at, id) order. */
function encodeCursor(event: { createdAt: Date; id: string }): string {
  return Buffer.from(`${event.createdAt.toISOString()}|${event.id}`).toString("base64url");
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) throw badCursor();
  const [at = "", id = "", ...rest] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const createdAt = new Date(at);
  if (rest.length > 0 || !isUUID(id) || Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== at) throw badCursor();
  return { createdAt, id };
}

function pageSize(limit: unknown): number {
  if (limit === undefined) return SECURITY_EVENTS_DEFAULT_LIMIT;
  if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1 || limit > SECURITY_EVENTS_MAX_LIMIT) {
    throw new AuthError("INVALID_INPUT", `limit must be a whole number from 1 to ${SECURITY_EVENTS_MAX_LIMIT}.`, {
      fieldErrors: { limit: [`From 1 to ${SECURITY_EVENTS_MAX_LIMIT}`] },
    });
  }
  return limit;
}

/**
 * One page of the user's own security events, newest first (ties by id), keyset-paged: events
 * written while a client pages never shift or repeat what it already saw. `INVALID_INPUT` for a
 * cursor this function did not make, or a `limit` outside 1 to 100 (default 20).
 *
 * @example
 * const first = await listSecurityEvents(db, userId, {});
 * const older = first.nextCursor ? await listSecurityEvents(db, userId, { cursor: first.nextCursor }) : null;
 */
export async function listSecurityEvents(db: AuthDB, userId: string, options: { cursor?: string | null; limit?: number }): Promise<SecurityEventPage> {
  const limit = pageSize(options.limit);
  const after = options.cursor ? decodeCursor(options.cursor) : null;
  const rows = await db
    .select()
    .from(securityEvents)
    .where(
      and(
        eq(securityEvents.userId, userId),
        after
          ? or(lt(securityEvents.createdAt, after.createdAt), and(eq(securityEvents.createdAt, after.createdAt), lt(securityEvents.id, after.id)))
          : undefined,
      ),
    )
    .orderBy(desc(securityEvents.createdAt), desc(securityEvents.id))
    .limit(limit + 1);
  const events = rows.slice(0, limit).map(
    (row): SecurityEvent => ({
      id: row.id,
      type: row.type,
      createdAt: row.createdAt,
      ipAddress: row.ipAddress,
      userAgent: row.userAgent,
      sessionId: row.sessionId,
      detail: row.detail,
    }),
  );
  const last = events.at(-1);
  return { events, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}
