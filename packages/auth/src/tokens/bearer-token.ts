import { MAX_TOKEN_LENGTH } from "./access-token.ts";

type HeaderRecord = Record<string, string | string[] | undefined>;
/** A Node `IncomingMessage`: `rawHeaders` lists every header line as received, name then value. */
interface RawHeaderSource {
  rawHeaders: readonly string[];
  headers: HeaderRecord;
}
/** A fetch `Request`, a `Headers`, a Node `IncomingMessage`, or a plain header record. */
export type HeaderSource = Request | Headers | RawHeaderSource | { headers: Headers | HeaderRecord } | HeaderRecord;


/**
 * The one Authorization line of a Node request, or `null` when there are none or several.
 * Node's `req.headers` keeps only the first Authorization line and drops the rest, so a request
 * carrying two tokens would pass as carrying one; `rawHeaders` still has both.
 */
function fromRawHeaders(rawHeaders: readonly string[]): string | null {
  let value: string | null = null;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]?.toLowerCase() !== "authorization") continue;
    if (value !== null) return null;
    value = rawHeaders[i + 1] ?? null;
  }
  return value;
}

function authorization(source: HeaderSource): string | null {
  if (source instanceof Headers) return source.get("authorization");
  if ("rawHeaders" in source && Array.isArray(source.rawHeaders)) return fromRawHeaders(source.rawHeaders as readonly string[]);
  if ("headers" in source && typeof source.headers === "object" && source.headers !== null) {
    return authorization(source.headers as Headers | HeaderRecord);
  }
  const value = (source as HeaderRecord)["authorization"] ?? (source as HeaderRecord)["Authorization"];
  // Two Authorization headers are ambiguous: refuse rather than pick one.
  return typeof value === "string" ? value : null;
}

/** An access token as presented: its `Authorization` scheme and the token. */
export interface PresentedToken {
  scheme: "Bearer" | "DPoP";
  token: string;
}

// RFC 6750 §2.1 and RFC 9449 §7.1: "Bearer" or "DPoP", case-insensitive, 1*SP, a token68.
const SCHEMES = /^(Bearer|DPoP) +([A-Za-z0-9\-._~+/]+=*)$/i;

/**
 * Reads `Authorization: Bearer <token>` or `Authorization: DPoP <token>` in one pass; `null` for
 * any other shape, and for a request with two Authorization headers (ambiguous: refused rather
 * than picking one). What a protected call reads on every request.
 *
 * @example authorizationToken(request) // { scheme: "DPoP", token: "eyJhbGciOi..." } or null
 */
export function authorizationToken(source: HeaderSource): PresentedToken | null {
  const header = authorization(source)?.trim();
  if (!header || header.length > MAX_TOKEN_LENGTH + 16) return null;
  const match = SCHEMES.exec(header);
  if (!match?.[1] || !match[2]) return null;
  return { scheme: match[1].toLowerCase() === "dpop" ? "DPoP" : "Bearer", token: match[2] };
}

/**
 * Reads the token from `Authorization: Bearer <token>`; `null` for any other shape, and for a
 * request with two Authorization headers (ambiguous: refused rather than picking one).
 *
 * @example bearerToken(request) // "eyJhbGciOi..." or null
 */
export function bearerToken(source: HeaderSource): string | null {
  const presented = authorizationToken(source);
  return presented?.scheme === "Bearer" ? presented.token : null;
}

/**
 * Reads the token from `Authorization: DPoP <token>` (RFC 9449 §7.1), a token bound to a key
 * that comes with a `DPoP` proof header; `null` for any other shape, and for two Authorization headers.
 *
 * @example dpopToken(request) // "eyJhbGciOi..." or null
 */
export function dpopToken(source: HeaderSource): string | null {
  const presented = authorizationToken(source);
  return presented?.scheme === "DPoP" ? presented.token : null;
}
