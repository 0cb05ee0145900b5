import type { ClientInfo } from "../types.ts";

/**
 * A client whose DPoP proof the entry point verified: `dpopJkt` is the thumbprint the session it
 * opens is bound to. Only `createAuth`'s entry points set it, always overwriting what the caller passed.
 */
export interface BoundClient extends ClientInfo {
  dpopJkt?: string | null;
}

const MAX_USER_AGENT = 512;
// An IPv6 address with a zone id is under 64 characters; anything longer is not an address.
const MAX_IP_ADDRESS = 64;

/**
 * The client details as stored on a session and used as throttle keys. They come from request
 * headers, so they are cleaned rather than refused: control characters are removed (PostgreSQL
 * text cannot hold NUL, and a stored header must not carry terminal escapes to whoever reads
 * it), lone surrogates become U+FFFD, and the length is capped by code point.
 */
export function cleanClientInfo(client: BoundClient): BoundClient {
  const cleaned = { userAgent: clean(client.userAgent, MAX_USER_AGENT), ipAddress: clean(client.ipAddress, MAX_IP_ADDRESS) };
  // The thumbprint travels with the client to the session it opens; the proof itself is spent.
  return typeof client.dpopJkt === "string" ? { ...cleaned, dpopJkt: client.dpopJkt } : cleaned;
}

function clean(value: unknown, maxLength: number): string | null {
  if (typeof value !== "string") return null;
  const text = [...value.replace(/\p{Cc}/gu, "").toWellFormed().trim()].slice(0, maxLength).join("");
  return text === "" ? null : text;
}
