import type { AMR } from "./amr.ts";

/** A user as the outside world sees it: never the password hash. */
export interface User {
  id: string;
  email: string;
  name: string;
  createdAt: Date;
  /** True once the owner proved the address (verify link, reset link or confirmed email change). */
  emailVerified: boolean;
}

/** One sign-in. Every access and refresh token belongs to exactly one session. */
export interface Session {
  id: string;
  userId: string;
  createdAt: Date;
  lastUsedAt: Date;
  /** Absolute end of the session, whatever the activity. */
  expiresAt: Date;
  /** End of the session if it is not refreshed before then. */
  idleExpiresAt: Date;
  userAgent: string | null;
  ipAddress: string | null;
  /**
   * What the sign-in proved, as RFC 8176 names it: `["pwd"]`, `["pwd", "otp", "mfa"]` (with a
   * TOTP code) or `["pwd", "mfa"]` (with a recovery code); `[]` for a session the host opened
   * with `getBearerToken`. Fixed when the session opens: refreshes keep it.
   */
  amr: AMR[];
  /** RFC 7638 thumbprint of the DPoP key the session is bound to; `null` for a bearer session. */
  dpopJkt: string | null;
}

/** Where a request came from; stored on the session and used for throttling. */
export interface ClientInfo {
  userAgent?: string | null | undefined;
  ipAddress?: string | null | undefined;
  /** The request's `DPoP` proof (RFC 9449), if it sent one: a sign-in with a valid one binds the session to its key. */
  dpop?: DPoPRequest | undefined;
}

/**
 * A `DPoP` header and the request it came with. `htu` is the URL as the server knows it
 * (its configured origin and the request path), never one built from the Host header.
 */
export interface DPoPRequest {
  proof: string;
  /** The request method, e.g. `POST`. */
  htm: string;
  htu: string;
}

/**
 * How an access token came: `Authorization: Bearer`, or `Authorization: DPoP` with the
 * request's `DPoP` proof. A token bound to a key is accepted only the second way.
 */
export interface TokenRequest {
  scheme: "Bearer" | "DPoP";
  dpop?: DPoPRequest | undefined;
}

export interface AccessToken {
  token: string;
  expiresAt: Date;
}

/** What `register`, `signin` and `refresh` return. */
export interface AuthResult {
  user: User;
  session: Session;
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  /** `DPoP` when the tokens are bound to the client's key (send `Authorization: DPoP` with a proof). */
  tokenType: "Bearer" | "DPoP";
}
