import { AuthError } from "@bearer-kit/auth";

/**
 * When an access token expires, in ms since the epoch, read from its `exp` claim. Only for a
 * token the auth service has just verified: this reads the payload and checks no signature.
 *
 * @example const deadline = accessTokenExpiry(token); // 1767229200000
 */
export function accessTokenExpiry(token: string): number {
  const payload = token.split(".")[1] ?? "";
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    if (typeof claims === "object" && claims !== null && "exp" in claims && typeof claims.exp === "number") return claims.exp * 1000;
  } catch {
    // Falls through: a verified token always has a numeric exp, so this is not one.
  }
  throw new AuthError("TOKEN_INVALID", "The access token is invalid.");
}
