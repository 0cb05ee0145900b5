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
}

/** Where a request came from; stored on the session and used for throttling. */
export interface ClientInfo {
  userAgent?: string | null | undefined;
  ipAddress?: string | null | undefined;
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
  tokenType: "Bearer";
}
