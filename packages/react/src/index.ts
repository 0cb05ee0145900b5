// The public API of @bearer-kit/react: the React bindings, and the core they run on.
export {
  type AuthErrorInfo,
  type AuthPayload,
  createSessionClient,
  type DPoPKeyStore,
  type DPoPOptions,
  isSessionEnded,
  type PasskeyAuthenticationResponse,
  type PasskeyRequestOptions,
  type PasskeySignInOutcome,
  readAuthError,
  type SecondFactorChallenge,
  type SecondFactorInput,
  type SecondFactorMethod,
  type RefreshOutcome,
  type Session,
  type SessionClient,
  type SessionClientOptions,
  type SessionControls,
  SessionError,
  type SessionErrorCode,
  type SessionLocks,
  type SessionProcedures,
  type SessionRouter,
  type SessionUser,
  type SignedInSession,
  type SignInInput,
  type SignInOutcome,
  type SignOutReason,
  type TokenScheme,
  transportHeaders,
} from "./client.ts";
export { SessionProvider, type SessionProviderProps, type UserDataCache } from "./react/session-provider.ts";
export { useSession } from "./react/use-session.ts";
export { useSessionClient } from "./react/use-session-client.ts";
export { type SecondFactorAnswer, type SignInState, type UseSignIn, useSignIn } from "./react/use-sign-in.ts";
