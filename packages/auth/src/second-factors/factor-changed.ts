import { recordSecurityEvent } from "../database/security-event-log.ts";
import type { Tx } from "../database/rows.ts";
import type { Current } from "../passwords/confirm-password.ts";
import { cleanClientInfo } from "../throttling/client-info.ts";
import type { ClientInfo } from "../types.ts";

/** What changed: the factor, and how (docs/security-events.md). */
export interface FactorChange {
  current: Current;
  client: ClientInfo;
  factor: "totp" | "recovery_codes" | "passkey";
  change: "create" | "delete" | "update";
}

/**
 * The `second_factor_changed` event of a change, in its transaction: TOTP, recovery codes and
 * passkeys all record it here, so the feed maps one shape to CAEP `credential-change`.
 *
 * @example await factorChanged(tx, config.now(), { current, client, factor: "passkey", change: "delete" });
 */
export function factorChanged(tx: Tx, at: Date, { current, client, factor, change }: FactorChange): Promise<string> {
  const { ipAddress, userAgent } = cleanClientInfo(client);
  return recordSecurityEvent(tx, {
    userId: current.user.id,
    type: "second_factor_changed",
    at,
    sessionId: current.session.id,
    ipAddress,
    userAgent,
    detail: { factor, change },
  });
}
