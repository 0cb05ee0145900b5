import type { IncomingMessage } from "node:http";

// RFC 6750 §2.1: "Bearer" 1*SP b64token, scheme case-insensitive; any other shape is no token.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;
/** Longer than any token the web app issues; refused before the regular expression runs. */
const MAX_HEADER_LENGTH = 4096 + 16;

/** The token of `Authorization: Bearer <token>`, or `null`. */
export function bearerToken(req: IncomingMessage): string | null {
  const header = req.headers.authorization?.trim();
  if (!header || header.length > MAX_HEADER_LENGTH) return null;
  return BEARER.exec(header)?.[1] ?? null;
}
