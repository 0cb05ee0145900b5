// The closed set of error codes and what each means. No imports: this file is part of the
// client-safe entry (`@bearer-kit/auth/client`), so a browser bundle can name the codes too.

/**
 * Every `AuthError` carries one of these codes; the API sends it as `data.authCode`.
 *
 * @example
 * for (const code of AUTH_ERROR_CODES) console.log(code, AUTH_ERROR_MEANINGS[code].meaning);
 */
export const AUTH_ERROR_CODES = [
  "INVALID_CREDENTIALS",
  "EMAIL_TAKEN",
  "WEAK_PASSWORD",
  "INVALID_INPUT",
  "TOKEN_INVALID",
  "TOKEN_EXPIRED",
  "SESSION_REVOKED",
  "REFRESH_REUSED",
  "RATE_LIMITED",
  "NOT_FOUND",
  "DATABASE_UNAVAILABLE",
  "JWKS_UNAVAILABLE",
  "REVOCATION_UNAVAILABLE",
  "SERVER_BUSY",
  "STREAM_REPLACED",
  "EMAIL_NOT_VERIFIED",
  "LINK_INVALID",
  "LINK_EXPIRED",
  "LINK_USED",
  "SECOND_FACTOR_INVALID",
  "MFA_TOKEN_INVALID",
  "MFA_REQUIRED",
  "PASSKEY_INVALID",
  "PASSKEY_REGISTRATION_FAILED",
  "FEED_UNAVAILABLE",
  "DPOP_PROOF_INVALID",
  "DPOP_NONCE_REQUIRED",
  "DPOP_REQUIRED",
] as const;

export type AuthErrorCode = (typeof AUTH_ERROR_CODES)[number];

export interface AuthErrorMeaning {
  /** What happened and what a client program does about it. */
  meaning: string;
  /** One sentence for the person at the keyboard; never echoes server internals. */
  message: string;
}

const SIGN_IN_AGAIN = "Your session has ended. Please sign in again.";

/**
 * What each code means, for programs (`meaning`) and for people (`message`).
 *
 * @example
 * AUTH_ERROR_MEANINGS.TOKEN_EXPIRED.meaning // "The access token's lifetime is over: refresh, then retry the call."
 */
export const AUTH_ERROR_MEANINGS: Readonly<Record<AuthErrorCode, AuthErrorMeaning>> = {
  INVALID_CREDENTIALS: {
    meaning: "The email and password do not match an account (the two cases are not told apart).",
    message: "Incorrect email or password.",
  },
  EMAIL_TAKEN: {
    meaning:
      "An account with this email already exists. Only when email verification is not required; on `verifyEmail`, the confirmed new address was taken meanwhile.",
    message: "An account with this email already exists. Try signing in instead.",
  },
  WEAK_PASSWORD: {
    meaning: "The new password is shorter than PASSWORD_MIN_LENGTH; `fieldErrors` names the field.",
    message: "Choose a stronger password.",
  },
  INVALID_INPUT: {
    meaning: "The input failed validation; `fieldErrors` holds a message per field.",
    message: "Please check the highlighted fields.",
  },
  TOKEN_INVALID: {
    meaning: "The access token is missing, malformed, forged or for another issuer or audience: sign in again.",
    message: SIGN_IN_AGAIN,
  },
  TOKEN_EXPIRED: {
    meaning: "The access token's lifetime is over: refresh, then retry the call.",
    message: "Your session has expired. Please sign in again.",
  },
  SESSION_REVOKED: {
    meaning: "The session was signed out, revoked or has expired: sign in again.",
    message: SIGN_IN_AGAIN,
  },
  REFRESH_REUSED: {
    meaning: "A refresh token was used twice, so the session was revoked as stolen: sign in again.",
    message: "For your safety this session was ended because its sign-in token was used twice. Sign in again.",
  },
  RATE_LIMITED: {
    meaning: "Too many attempts; `retryAfter` says how many seconds to wait.",
    message: "Too many attempts. Please wait a moment and try again.",
  },
  NOT_FOUND: {
    meaning: "The item (for example a session to revoke) does not exist or is not the caller's.",
    message: "That item no longer exists.",
  },
  DATABASE_UNAVAILABLE: {
    meaning: "The database is unreachable; nothing was changed. Retry shortly.",
    message: "The service is temporarily unavailable. Please try again in a moment.",
  },
  JWKS_UNAVAILABLE: {
    meaning: "A verifier could not fetch the issuer's public keys (JWKS), so it cannot check the token. Retry shortly.",
    message: "The service is temporarily unavailable. Please try again in a moment.",
  },
  REVOCATION_UNAVAILABLE: {
    meaning:
      "A verifier configured with the issuer's revocation feed has not reached it for longer than its `maxStaleness` (or not yet since it started), so it cannot tell whether the token was revoked. Retry shortly.",
    message: "The service is temporarily unavailable. Please try again in a moment.",
  },
  SERVER_BUSY: {
    meaning:
      "Too many passwords are being checked at once, or too many session-event streams are open on this server; nothing was changed. Retry after `retryAfter` seconds.",
    message: "The service is busy. Please try again in a moment.",
  },
  STREAM_REPLACED: {
    meaning:
      "This session-event stream was closed because a newer one of the same session took its place (at most 8 are open per session, the oldest goes). The session goes on: do not reconnect this stream.",
    message: "Live updates continue in another tab or window.",
  },
  EMAIL_NOT_VERIFIED: {
    meaning:
      "The password is right but the address is not verified yet, and this server requires it: a new verification link was mailed (at most one a minute).",
    message: "Please verify your email address first. We sent you a new link.",
  },
  LINK_INVALID: {
    meaning: "The emailed token is unknown, malformed or for another purpose (a reset token used to verify, say): ask for a new link.",
    message: "This link is not valid. Please ask for a new one.",
  },
  LINK_EXPIRED: {
    meaning: "The emailed token's lifetime is over (AUTH_RESET_TTL for resets, 24 hours for verification): ask for a new link.",
    message: "This link has expired. Please ask for a new one.",
  },
  LINK_USED: {
    meaning: "The emailed token was already used, or a newer link of the same kind replaced it: links work once.",
    message: "This link was already used or replaced by a newer one.",
  },
  SECOND_FACTOR_INVALID: {
    meaning:
      "The TOTP or recovery code is wrong, was used already, or is missing where two-step verification requires one; `fieldErrors.code` says so. Ask for the code again.",
    message: "That code did not work. Check your authenticator app and try again.",
  },
  MFA_TOKEN_INVALID: {
    meaning:
      "The sign-in's `mfaToken` is unknown, used, expired (5 minutes), out of attempts, sent from another address, or older than a credential change: sign in again.",
    message: "This sign-in attempt has expired. Please sign in again.",
  },
  MFA_REQUIRED: {
    meaning:
      "The call needs a session signed in with two factors (`amr` with `mfa`), or (in the core) a one-step sign-in or reset met an account with two-step verification on: use the two-step form.",
    message: "Please sign in with your second factor to continue.",
  },
  PASSKEY_INVALID: {
    meaning:
      "A passkey sign-in was refused: unknown passkey, bad signature, a challenge that is unknown, used, expired or for another ceremony, a wrong origin or RP ID, or a signature counter that went backwards. Ask for new options and try again.",
    message: "That passkey did not work. Try again, or sign in with your password.",
  },
  PASSKEY_REGISTRATION_FAILED: {
    meaning:
      "A new passkey could not be stored: the attestation did not verify, the registration options were used, expired or issued before a credential change, or the passkey is already registered. Ask for new options.",
    message: "The passkey could not be added. Please try again.",
  },
  FEED_UNAVAILABLE: {
    meaning:
      "The Security Event Token feed is off because tokens are signed with a shared secret (HS*), which receivers could not verify with a JWKS: switch AUTH_TOKEN_ALGORITHM to ES256, EdDSA or RS256.",
    message: "The service is temporarily unavailable. Please try again in a moment.",
  },
  DPOP_PROOF_INVALID: {
    meaning:
      "The DPoP proof (RFC 9449) was refused: malformed, not `dpop+jwt`, a symmetric or unknown `alg`, a private `jwk`, a bad signature, another method or URL, an `iat` outside the window, a replayed `jti`, a missing or wrong `ath`, or a key other than the one the session is bound to. Sign a fresh proof with the session's key; a refresh token is not consumed by this refusal.",
    message: "This device could not prove it holds its key. Please sign in again.",
  },
  DPOP_NONCE_REQUIRED: {
    meaning:
      "The server requires a nonce in DPoP proofs and the proof had none, or a stale one: retry once with a proof whose `nonce` is the response's `DPoP-Nonce` header.",
    message: "Please try again.",
  },
  DPOP_REQUIRED: {
    meaning:
      "The server requires DPoP (AUTH_DPOP=required): sign-ins and refreshes must carry a `DPoP` proof header. Make a key pair (`createDPoPKeyPair`) and send a proof with every call.",
    message: "This app needs a newer client to sign in. Please reload the page.",
  },
};

/**
 * Narrows a code received over the wire (for example the API's `data.authCode`).
 *
 * @example if (isAuthErrorCode(data.authCode)) show(AUTH_ERROR_MEANINGS[data.authCode].message);
 */
export function isAuthErrorCode(value: unknown): value is AuthErrorCode {
  return typeof value === "string" && (AUTH_ERROR_CODES as readonly string[]).includes(value);
}
