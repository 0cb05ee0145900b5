import { MAX_TOKEN_LENGTH } from "./access-token.ts";

type HeaderRecord = Record<string, string | string[] | undefined>;
/** A fetch `Request`, a `Headers`, a Node `IncomingMessage`, or a plain header record. */
export type HeaderSource = Request | Headers | { headers: Headers | HeaderRecord } | HeaderRecord;

// RFC 6750 §2.1: "Bearer" 1*SP b64token. The scheme is case-insensitive; anything else is refused.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

function authorization(source: HeaderSource): string | null {
  if (source instanceof Headers) return source.get("authorization");
  if ("headers" in source && typeof source.headers === "object" && source.headers !== null) {
    return authorization(source.headers as Headers | HeaderRecord);
  }
  const value = (source as HeaderRecord)["authorization"] ?? (source as HeaderRecord)["Authorization"];
  // Two Authorization headers are ambiguous: refuse rather than pick one.
  return typeof value === "string" ? value : null;
}

/**
 * Reads the token from `Authorization: Bearer <token>`; `null` for any other shape.
 *
 * @example bearerToken(request) // "eyJhbGciOi..." or null
 */
export function bearerToken(source: HeaderSource): string | null {
  const header = authorization(source)?.trim();
  if (!header || header.length > MAX_TOKEN_LENGTH + 16) return null;
  return BEARER.exec(header)?.[1] ?? null;
}
