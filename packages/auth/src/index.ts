// The public API of @bearer-kit/auth. Everything else is internal.
export { bearerToken, dpopToken, authorizationToken, type HeaderSource, type PresentedToken } from "./tokens/bearer-token.ts";
export { accessTokenHash, DPOP_ALGORITHMS, normalizeHtu, verifyDPoPProof, type DPoPExpectation, type DPoPProofClaims } from "./dpop/dpop-proof.ts";
export { canonicalEmail } from "./email.ts";
export type { AccountRecovery, VerifyEmailResult } from "./recovery/account-recovery.ts";
export { type Auth, createAuth, type CreateAccountResult } from "./create-auth.ts";
export { createAuthFromEnv } from "./create-auth-from-env.ts";
export type { AuthDB } from "./database/auth-db.ts";
export { createDatabase, type Database, type DatabaseOptions } from "./database/database.ts";
export { type Duration, parseDuration } from "./config/duration.ts";
export { embeddedSecret } from "./database/embedded-secret.ts";
export { createJwksHandler, JWKS_MAX_AGE } from "./keys/jwks-handler.ts";
export type { KeyState } from "./keys/key-rows.ts";
export type { JSONWebKeySet, KeySet, PublishedJWK, SigningKeyInfo } from "./keys/key-set-types.ts";
export { type AuthEnv, authEnvSchema, loadAuthEnv } from "./config/env.ts";
export {
  AUTH_ERROR_CODES,
  AUTH_ERROR_MEANINGS,
  type AuthErrorCode,
  type AuthErrorMeaning,
  isAuthErrorCode,
} from "./error-codes.ts";
export { AuthError, isAuthError } from "./errors.ts";
export type { AuthGuard } from "./tokens/guard.ts";
export {
  type ChangeEmailInput,
  changeEmailInputSchema,
  type RegisterInput,
  registerInputSchema,
  type RequestPasswordResetInput,
  requestPasswordResetInputSchema,
  type ResetPasswordInput,
  resetPasswordInputSchema,
  type SigninInput,
  signinInputSchema,
  type VerifyEmailInput,
  verifyEmailInputSchema,
  type ReportUnrecognizedSigninInput,
  reportUnrecognizedSigninInputSchema,
} from "./input.ts";
export { createDevMailbox, DEV_MAILBOX_LIMIT, type DevMailbox, type StoredMail } from "./mail/dev-mailbox.ts";
export type { Mailer, OutgoingMail } from "./mail/mailer.ts";
export { createSmtpMailer } from "./mail/smtp-mailer.ts";
export { migrate } from "./database/migrate.ts";
export {
  EMBEDDED_SETTINGS,
  type EmbeddedDatabaseOptions,
  type EmbeddedWorkerDatabase,
  openEmbeddedDatabase,
  openEmbeddedDatabaseOnWorker,
} from "./database/open-embedded-database.ts";
export type { SessionCacheEvent, SessionCacheStats, SessionCacheStatus } from "./sessions/session-cache.ts";
export { MAX_WATCHES_PER_SESSION, type SessionEnded, type SessionEvents, type WatchOptions } from "./sessions/session-events.ts";
export type { PruneResult } from "./sessions/prune.ts";
export type { SecurityEventType } from "./database/schema.ts";
export {
  SECURITY_EVENTS_DEFAULT_LIMIT,
  SECURITY_EVENTS_MAX_LIMIT,
  type SecurityEvent,
  type SecurityEventPage,
} from "./security-events/security-event-list.ts";
export { userAgentFamily } from "./security-events/device-key.ts";
export { type Algorithm, ALGORITHMS, ASYMMETRIC_ALGORITHMS, DEFAULT_ALGORITHM, HMAC_ALGORITHMS } from "./config/algorithms.ts";
export { type AuthOptions, OWASP_ARGON2ID, type PasswordParams } from "./config/options.ts";
export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "./passwords/password-policy.ts";
export { type AMR, AMR_VALUES, hasMFA, PASSWORD_AMR, passkeyAMR, RECOVERY_CODE_AMR, TOTP_AMR } from "./amr.ts";
export { SECOND_FACTOR_METHODS, type SecondFactorMethod, type TwoFactorStatus } from "./second-factors/factor-store.ts";
export { MFA_TOKEN_TTL } from "./second-factors/mfa-token.ts";
export { totpQRCodeSVG } from "./second-factors/qr-code.ts";
export { RECOVERY_CODE_COUNT } from "./second-factors/recovery-codes.ts";
export {
  type TOTPConfirmInput,
  totpConfirmInputSchema,
  type TOTPEnableInput,
  totpEnableInputSchema,
  type TOTPSetupInput,
  totpSetupInputSchema,
  type AuthenticationResponseInput,
  authenticationResponseSchema,
  type VerifySecondFactorInput,
  verifySecondFactorInputSchema,
} from "./second-factors/second-factor-input.ts";
export type { SigninStep } from "./second-factors/second-step.ts";
export type { TOTPEnrolment, TOTPSetupResult } from "./second-factors/totp-enrolment.ts";
export { type RelyingParty, type RelyingPartyOptions, resolveRelyingParty } from "./config/relying-party.ts";
export {
  type AddPasskeyInput,
  addPasskeyInputSchema,
  type PasskeyRegistrationOptionsInput,
  passkeyRegistrationOptionsInputSchema,
  type PasskeySigninOptionsInput,
  passkeySigninOptionsInputSchema,
  type RemovePasskeyInput,
  removePasskeyInputSchema,
  type RenamePasskeyInput,
  renamePasskeyInputSchema,
  type SigninWithPasskeyInput,
  signinWithPasskeyInputSchema,
} from "./passkeys/passkey-input.ts";
export type { PasskeyManagement, PasskeyMail } from "./passkeys/passkey-management.ts";
export type { PasskeySignin } from "./passkeys/passkey-signin.ts";
export type { Passkey } from "./passkeys/passkey-store.ts";
export { WEBAUTHN_CHALLENGE_TTL } from "./passkeys/webauthn-challenges.ts";
export { RECEIVER_NAME, type SecurityEventReceiver, type SecurityEventReceivers } from "./security-events/receivers.ts";
export {
  DEFAULT_MAX_EVENTS,
  DEFAULT_POLL_WAIT_MS,
  MAX_EVENTS,
  type PollOptions,
  type PollResult,
  type SecurityEventFeed,
} from "./security-events/security-event-feed.ts";
export { CREDENTIAL_CHANGE_URI, SESSION_REVOKED_URI, SET_TYPE } from "./security-events/security-event-token.ts";
export type { PasskeyCreationOptions, PasskeyRequestOptions } from "./passkeys/webauthn-ceremony.ts";
export type { AccessToken, AuthResult, ClientInfo, DPoPRequest, Session, TokenRequest, User } from "./types.ts";
export type { DPoPMode } from "./config/options.ts";
