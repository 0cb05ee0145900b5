import type { IncomingMessage } from "node:http";

// RFC 6750 §2.1 and RFC 9449 §7.1: "Bearer" or "DPoP", 1*SP, a b64token; the scheme is
// case-insensitive. Any other shape is no token.
const AUTHORIZATION = /^(Bearer|DPoP) +([A-Za-z0-9\-._~+/]+=*)$/i;
/** Longer than any token the web app issues; refused before the regular expression runs. */
const MAX_HEADER_LENGTH = 4096 + 16;

export interface AuthorizationToken {
  scheme: "Bearer" | "DPoP";
  token: string;
}

/**
 * The scheme and token of `Authorization: Bearer <token>` or `Authorization: DPoP <token>`, or `null`.
 *
 * @example authorizationToken(req) // { scheme: "DPoP", token: "eyJ..." }
 */
export function authorizationToken(req: IncomingMessage): AuthorizationToken | null {
  const header = req.headers.authorization?.trim();
  if (!header || header.length > MAX_HEADER_LENGTH) return null;
  const match = AUTHORIZATION.exec(header);
  if (!match?.[1] || !match[2]) return null;
  return { scheme: match[1].toLowerCase() === "dpop" ? "DPoP" : "Bearer", token: match[2] };
}
