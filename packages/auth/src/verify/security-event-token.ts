import { errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from "jose";
import { AuthError } from "../errors.ts";
import type { VerifyAlgorithm } from "./algorithms.ts";

/** RFC 8417 §2.3: a SET's `typ`, so no access token or other JWT of the issuer passes as one. */
const SET_TYPE = "secevent+jwt";
export const SESSION_REVOKED_EVENT = "https://schemas.openid.net/secevent/caep/event-type/session-revoked";
export const CREDENTIAL_CHANGE_EVENT = "https://schemas.openid.net/secevent/caep/event-type/credential-change";

/** What a SET tells a verifier; event types it has no use for are left out. */
export type Revocation = { kind: "session"; sid: string; at: number } | { kind: "credentials"; sub: string; at: number };

/**
 * A delivered SET, read:
 * - `ok`: verified, with the revocations it carries (possibly none);
 * - `bad`: forged, malformed or not for us, for good: it is reported back (RFC 8936 `setErrs`,
 *   with an RFC 8935 error code), which takes it off the queue as an ack does, and ignored, since
 *   a SET refused now is refused on every redelivery;
 * - `retry`: not checkable now (the JWKS could not be fetched, or does not list its key yet):
 *   left unacknowledged, so the feed delivers it again.
 */
export type ReadSET =
  | { kind: "ok"; revocations: Revocation[] }
  | { kind: "bad"; err: SETError; reason: string }
  | { kind: "retry"; reason: string };

/** RFC 8935 §2.4's error codes, as far as a receiver of a polled SET can meet them. */
export type SETError = "invalid_request" | "invalid_key" | "invalid_issuer" | "invalid_audience";

export interface ReadSETOptions {
  getKey: JWTVerifyGetKey;
  algorithms: readonly VerifyAlgorithm[];
  issuer: string;
  /** The receiver name `aud` must equal, when known. */
  receiver: string | undefined;
  now: Date;
  /** Whether keys come from a remote JWKS, which may not list a just-rotated key yet. */
  remoteKeys: boolean;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const opaqueId = (value: unknown): string | null =>
  isObject(value) && value["format"] === "opaque" && typeof value["id"] === "string" && value["id"] !== "" ? value["id"] : null;
const timestamp = (event: Record<string, unknown>): number | null => {
  const at = event["event_timestamp"];
  return typeof at === "number" && Number.isFinite(at) && at >= 0 ? at : null;
};

/** The session of a CAEP session-revoked subject: `{ format: "complex", session: { format: "opaque", id } }`. */
function revokedSession(subject: unknown): string | null {
  return isObject(subject) && subject["format"] === "complex" ? opaqueId(subject["session"]) : null;
}

/** The user of a credential-change subject: opaque, or the `user` of a complex one. */
function changedUser(subject: unknown): string | null {
  if (isObject(subject) && subject["format"] === "complex") return opaqueId(subject["user"]);
  return opaqueId(subject);
}

/** The revocations a verified payload carries, or a reason it is malformed. */
function revocationsOf(payload: JWTPayload): Revocation[] | string {
  const { events, sub_id: subject } = payload;
  if (!isObject(events) || Object.keys(events).length === 0) return "no events claim";
  const found: Revocation[] = [];
  for (const [type, event] of Object.entries(events)) {
    if (type !== SESSION_REVOKED_EVENT && type !== CREDENTIAL_CHANGE_EVENT) continue;
    const at = isObject(event) ? timestamp(event) : null;
    if (at === null) return `${type} without an event_timestamp`;
    if (type === SESSION_REVOKED_EVENT) {
      const sid = revokedSession(subject);
      if (sid === null) return "session-revoked without a session in sub_id";
      found.push({ kind: "session", sid, at });
    } else {
      const sub = changedUser(subject);
      if (sub === null) return "credential-change without a user in sub_id";
      found.push({ kind: "credentials", sub, at });
    }
  }
  return found;
}

function errorCode(error: unknown): SETError {
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "iss") return "invalid_issuer";
    if (error.claim === "aud") return "invalid_audience";
    return "invalid_request";
  }
  const keyErrors = [errors.JWSSignatureVerificationFailed, errors.JWKSNoMatchingKey, errors.JWKSMultipleMatchingKeys, errors.JOSEAlgNotAllowed];
  if (keyErrors.some((type) => error instanceof type) || error instanceof AuthError) return "invalid_key";
  return "invalid_request";
}

/**
 * Verifies one delivered SET with the keys the verifier trusts for access tokens (the issuer
 * signs both with its current key) and reads its revocations. `jti` is the id the feed
 * delivered it under, which the SET itself must carry.
 *
 * @example await readSecurityEventToken(set, jti, { getKey, algorithms, issuer, receiver, now, remoteKeys: true })
 */
export async function readSecurityEventToken(compact: string, jti: string, options: ReadSETOptions): Promise<ReadSET> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(compact, options.getKey, {
      algorithms: [...options.algorithms],
      typ: SET_TYPE,
      issuer: options.issuer,
      ...(options.receiver === undefined ? {} : { audience: options.receiver }),
      currentDate: options.now,
      requiredClaims: ["iss", "iat", "jti", "events"],
    }));
  } catch (error) {
    if (error instanceof AuthError && error.code === "JWKS_UNAVAILABLE") return { kind: "retry", reason: error.message };
    if (error instanceof errors.JWKSNoMatchingKey && options.remoteKeys) {
      return { kind: "retry", reason: "signed by a key the JWKS does not list (yet)" };
    }
    return { kind: "bad", err: errorCode(error), reason: error instanceof Error ? error.message : String(error) };
  }
  if (payload.jti !== jti) return { kind: "bad", err: "invalid_request", reason: "its jti is not the id it was delivered under" };
  const revocations = revocationsOf(payload);
  return typeof revocations === "string" ? { kind: "bad", err: "invalid_request", reason: revocations } : { kind: "ok", revocations };
}
