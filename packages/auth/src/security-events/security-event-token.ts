/**
 * Security Event Tokens (RFC 8417) in the OpenID CAEP format: what the feed hands receivers.
 *
 * Signed with the current access-token signing key, so a receiver verifies them with the JWKS it
 * already trusts; `typ: secevent+jwt` keeps a SET from passing as an access token (`at+jwt`) and
 * an access token from passing as a SET. Under HS* there is no public key to verify with, and
 * handing receivers the shared secret would let them mint access tokens: the feed is unavailable.
 */
import { SignJWT } from "jose";
import { isHMAC } from "../config/algorithms.ts";
import type { AuthConfig } from "../config/options.ts";
import type { securityEvents } from "../database/schema.ts";
import { AuthError } from "../errors.ts";
import type { KeySet } from "../keys/key-set-types.ts";

/** RFC 8417 §2.3: the JWS `typ` of a Security Event Token. */
export const SET_TYPE = "secevent+jwt";
export const SESSION_REVOKED_URI = "https://schemas.openid.net/secevent/caep/event-type/session-revoked";
export const CREDENTIAL_CHANGE_URI = "https://schemas.openid.net/secevent/caep/event-type/credential-change";

/** The event types the feed carries; the others (sign-ins, throttling...) are for the user's eyes. */
export const FEED_EVENT_TYPES = ["session_revoked", "password_changed", "password_reset", "email_changed", "second_factor_changed", "account_deleted"] as const;

export type SecurityEventRow = typeof securityEvents.$inferSelect;

/** What a SET says, apart from who it is for and when it was signed. */
export interface SecurityEventClaims {
  jti: string;
  sub_id: Record<string, unknown>;
  events: Record<string, Record<string, unknown>>;
}

const CHANGE_TYPES = new Set(["create", "revoke", "update", "delete"]);
const text = (value: unknown, fallback: string): string => (typeof value === "string" && value !== "" ? value : fallback);

/** CAEP credential types: an authenticator app for TOTP and recovery codes, a platform authenticator for a passkey. */
function credentialType(event: SecurityEventRow): string {
  if (event.type !== "second_factor_changed") return "password";
  return event.detail.factor === "passkey" ? "fido2-platform" : "app";
}

function changeType(event: SecurityEventRow): string {
  if (event.type === "account_deleted") return "revoke";
  if (event.type !== "second_factor_changed") return "update";
  const change = event.detail.change;
  return typeof change === "string" && CHANGE_TYPES.has(change) ? change : "update";
}

/**
 * The claims of one queued event, per the feed's contract (docs/security-event-feed.md).
 *
 * @example securityEventClaims(row).events // { "https://schemas.openid.net/secevent/caep/event-type/session-revoked": { ... } }
 */
export function securityEventClaims(event: SecurityEventRow): SecurityEventClaims {
  // Fractional seconds: two events of one session or user keep their order.
  const event_timestamp = event.createdAt.getTime() / 1000;
  const user = { format: "opaque", id: event.userId };
  if (event.type === "session_revoked") {
    return {
      jti: event.id,
      sub_id: event.sessionId ? { format: "complex", user, session: { format: "opaque", id: event.sessionId } } : user,
      events: { [SESSION_REVOKED_URI]: { event_timestamp, reason_admin: { en: text(event.detail.reason, "revoked") } } },
    };
  }
  return {
    jti: event.id,
    sub_id: user,
    events: {
      [CREDENTIAL_CHANGE_URI]: {
        event_timestamp,
        credential_type: credentialType(event),
        change_type: changeType(event),
        reason_admin: { en: event.type },
      },
    },
  };
}

export interface SecurityEventTokens {
  /** Throws `FEED_UNAVAILABLE` when tokens are signed with a shared secret (HS*). */
  assertAvailable(): void;
  /** The compact SET of `event` for the receiver named `audience`. */
  sign(event: SecurityEventRow, audience: string): Promise<string>;
}

/**
 * @example
 * const sets = createSecurityEventTokens(config, keys);
 * const token = await sets.sign(row, "notes"); // header { alg, kid, typ: "secevent+jwt" }
 */
export function createSecurityEventTokens(config: Pick<AuthConfig, "algorithm" | "issuer" | "now">, keys: Pick<KeySet, "signer">): SecurityEventTokens {
  function assertAvailable(): void {
    if (isHMAC(config.algorithm)) {
      throw new AuthError(
        "FEED_UNAVAILABLE",
        `The security event feed needs a public-key algorithm (ES256, EdDSA, RS256); tokens are signed with ${config.algorithm}.`,
      );
    }
  }
  return {
    assertAvailable,
    async sign(event, audience) {
      assertAvailable();
      const signer = await keys.signer();
      const { jti, sub_id, events } = securityEventClaims(event);
      return new SignJWT({ sub_id, events })
        .setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ: SET_TYPE })
        .setIssuer(config.issuer)
        .setAudience(audience)
        .setIssuedAt(Math.floor(config.now().getTime() / 1000))
        .setJti(jti)
        .sign(signer.key);
    },
  };
}
