import type { AuthResult, SecondFactorMethod, TwoFactorStatus, User } from "@bearer-kit/auth";

/** A user as the API returns it: dates as ISO strings, never the password hash. */
export interface PublicUser {
  id: string;
  email: string;
  name: string;
  createdAt: string;
  /** True once the owner proved the address. */
  emailVerified: boolean;
}

/** What `auth.register`, `auth.signin` and `auth.refresh` return. */
export interface AuthPayload {
  user: PublicUser;
  accessToken: string;
  /** `null` in cookie mode: the token then lives only in the HttpOnly cookie. */
  refreshToken: string | null;
  /** `DPoP` when the tokens are bound to the key whose proof came with the sign-in (RFC 9449). */
  tokenType: "Bearer" | "DPoP";
  /** When the access token expires (ISO 8601). */
  expiresAt: string;
  /** Seconds the access token is valid for, as in an OAuth 2.0 token response. */
  expiresIn: number;
}

/**
 * What `auth.signin` and `auth.resetPassword` return: the token response (`mfaRequired: false`),
 * or for an account with two-step verification on `{ mfaRequired: true, mfaToken, methods }`,
 * with no token and no cookie; `auth.verifySecondFactor` then answers the token response.
 */
export type SigninPayload = (AuthPayload & { mfaRequired: false }) | { mfaRequired: true; mfaToken: string; methods: SecondFactorMethod[] };

/** What `auth.me` returns: the user and the state of its second factors. */
export interface MePayload extends PublicUser {
  twoFactor: TwoFactorStatus;
}

/**
 * What `auth.register` returns: signed in (`verificationRequired: false`, the token response),
 * or, when the server requires verified emails, `{ verificationRequired: true, email }` and no
 * tokens; that answer is the same whether or not the address already had an account.
 */
export type RegisterPayload = (AuthPayload & { verificationRequired: false }) | { verificationRequired: true; email: string };

/**
 * @example toPublicUser(ctx.user) // { id, email, name, createdAt: "2026-01-01T00:00:00.000Z" }
 */
export function toPublicUser(user: User): PublicUser {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    createdAt: user.createdAt.toISOString(),
    emailVerified: user.emailVerified,
  };
}

/**
 * @example toAuthPayload(result, { refreshToken: null, expiresIn: auth.settings.ttl })
 */
export function toAuthPayload(
  result: AuthResult,
  options: { refreshToken: string | null; expiresIn: number },
): AuthPayload {
  return {
    user: toPublicUser(result.user),
    accessToken: result.accessToken,
    refreshToken: options.refreshToken,
    tokenType: result.tokenType,
    expiresAt: result.accessTokenExpiresAt.toISOString(),
    expiresIn: options.expiresIn,
  };
}
