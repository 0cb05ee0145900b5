/**
 * Writes one security event, in the caller's transaction: an event exists exactly when the
 * change it records committed, and a rolled-back change leaves none. Session ends are recorded
 * by a trigger on `sessions` (migration 0008), so no revocation path can forget one; the events
 * other services hear are queued for every feed receiver by a trigger on this table.
 */
import { randomUUID } from "node:crypto";
import type { AuthDB } from "./auth-db.ts";
import { type SecurityEventType, securityEvents } from "./schema.ts";

export interface SecurityEventRecord {
  userId: string;
  type: SecurityEventType;
  at: Date;
  sessionId?: string | null | undefined;
  ipAddress?: string | null | undefined;
  userAgent?: string | null | undefined;
  /** Small and never secret: a reason, a method, a count. */
  detail?: Record<string, unknown>;
}

/**
 * @example await recordSecurityEvent(tx, { userId, type: "password_changed", at: now, sessionId, ipAddress, userAgent });
 */
export async function recordSecurityEvent(tx: AuthDB, event: SecurityEventRecord): Promise<string> {
  const id = randomUUID();
  await tx.insert(securityEvents).values({
    id,
    userId: event.userId,
    sessionId: event.sessionId ?? null,
    type: event.type,
    createdAt: event.at,
    ipAddress: event.ipAddress ?? null,
    userAgent: event.userAgent ?? null,
    detail: event.detail ?? {},
  });
  return id;
}
