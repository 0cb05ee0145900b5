// The framework-free core of @bearer-kit/react: no React import, for any UI library or none.
export {
  createSessionClient,
  type DPoPOptions,
  type SessionClient,
  type SessionClientOptions,
  type SessionControls,
} from "./create-session-client.ts";
export { type AuthErrorInfo, readAuthError } from "./errors/read-auth-error.ts";
export { isSessionEnded } from "./errors/session-ended.ts";
export { SessionError, type SessionErrorCode } from "./errors/session-error.ts";
export type { DPoPKeyStore } from "./dpop/dpop-key-store.ts";
export type { RefreshOutcome } from "./refresh/refresh-access-token.ts";
export type { SessionLocks } from "./refresh/refresh-lock.ts";
export type { Session, SignedInSession, SignOutReason } from "./session/session-store.ts";
export type { SignInOutcome } from "./sign-in/sign-in.ts";
export type { PasskeySignInOutcome } from "./sign-in/sign-in-with-passkey.ts";
export type {
  AuthPayload,
  PasskeyAuthenticationResponse,
  PasskeyRequestOptions,
  SecondFactorChallenge,
  SecondFactorInput,
  SecondFactorMethod,
  SessionProcedures,
  SessionRouter,
  SessionUser,
  SignInInput,
} from "./transport/router-types.ts";
export { type TokenScheme, transportHeaders } from "./transport/transport-headers.ts";
