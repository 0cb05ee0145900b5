import { and, eq, gt, sql } from "drizzle-orm";
import type { AMR } from "../amr.ts";
import type { AuthConfig } from "../config/options.ts";
import type { AuthDB } from "../database/auth-db.ts";
import { securityEvents } from "../database/schema.ts";
import { recordSecurityEvent } from "../database/security-event-log.ts";
import type { SigninMethod } from "../sessions/session-store.ts";
import { cleanClientInfo } from "../throttling/client-info.ts";
import type { ClientInfo } from "../types.ts";
import { deviceKey } from "./device-key.ts";

/** A device seen within this many days is not new (the 90 days, whatever the retention). */
export const KNOWN_DEVICE_DAYS = 90;

export interface SigninEvent {
  userId: string;
  sessionId: string;
  amr: readonly AMR[];
  method: SigninMethod;
  client: ClientInfo;
}

/** What was recorded: the event, and whether its device was new to the account. */
export interface RecordedSignin {
  eventId: string;
  newDevice: boolean;
  device: string;
  at: Date;
}

/**
 * Records a `signin` event in the transaction that opens the session, with `new_device` when no
 * `signin` of this user in the last 90 days had the same device key. The caller holds the user
 * row lock (it locked the credential version), so two sign-ins of one user from one new device
 * see each other: exactly one of them is "new". Registration's first session is never new.
 *
 * @example const { newDevice } = await recordSignin(tx, config, { userId, sessionId, amr, method: "password", client });
 */
export async function recordSignin(tx: AuthDB, config: Pick<AuthConfig, "now" | "throttle">, event: SigninEvent): Promise<RecordedSignin> {
  const client = cleanClientInfo(event.client);
  const at = config.now();
  const device = deviceKey(client, config.throttle.ipv6Prefix);
  const since = new Date(at.getTime() - KNOWN_DEVICE_DAYS * 86_400_000);
  const seen =
    event.method === "register" ||
    (
      await tx
        .select({ id: securityEvents.id })
        .from(securityEvents)
        .where(
          and(
            eq(securityEvents.userId, event.userId),
            eq(securityEvents.type, "signin"),
            gt(securityEvents.createdAt, since),
            sql`${securityEvents.detail}->>'device' = ${device}`,
          ),
        )
        .limit(1)
    ).length > 0;
  const eventId = await recordSecurityEvent(tx, {
    userId: event.userId,
    type: "signin",
    at,
    sessionId: event.sessionId,
    ipAddress: client.ipAddress,
    userAgent: client.userAgent,
    detail: { method: event.method, amr: [...event.amr], new_device: !seen, device },
  });
  return { eventId, newDevice: !seen, device, at };
}
