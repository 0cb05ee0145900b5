import type { AppRouter } from "@bearer-kit/api";
import type { AnyTRPCRouter, inferRouterInputs, inferRouterOutputs } from "@trpc/server";

type AuthRecord = AppRouter["_def"]["record"]["auth"];

/** The `auth` procedures the session calls, as @bearer-kit/api serves them. */
export type SessionProcedures = Pick<
  AuthRecord,
  "signin" | "verifySecondFactor" | "passkeySigninOptions" | "signinWithPasskey" | "refresh" | "logout" | "sessionEvents"
>;

/**
 * Any tRPC router that serves bearer-kit's `auth` procedures: `AppRouter`, or a host's
 * `mergeRouters(appRouter, notesRouter)`. A router without them does not type-check.
 *
 * @example createSessionClient<typeof myRouter>({ url: "/api/trpc" }) // myRouter includes `auth`
 */
export type SessionRouter = AnyTRPCRouter & { _def: { record: { auth: SessionProcedures } } };

/**
 * The token response: what `auth.refresh` answers, and `auth.register`, `auth.signin` and
 * `auth.resetPassword` when no further step is needed.
 */
export type AuthPayload = inferRouterOutputs<AppRouter>["auth"]["refresh"];
/** The signed-in user as the API describes it. */
export type SessionUser = AuthPayload["user"];
/** What `auth.signin` takes: `{ email, password }`. */
export type SignInInput = inferRouterInputs<AppRouter>["auth"]["signin"];

/**
 * A second factor the account can answer with: `totp` (an authenticator app's code),
 * `recovery_code`, or `passkey`.
 */
export type SecondFactorMethod = Extract<inferRouterOutputs<AppRouter>["auth"]["signin"], { mfaRequired: true }>["methods"][number];
/**
 * The second step a password opened instead of a session: `auth.signin` or `auth.resetPassword`
 * answered `{ mfaRequired: true, mfaToken, methods }`. The token is single-use and lives 5 minutes.
 */
export interface SecondFactorChallenge {
  mfaToken: string;
  methods: SecondFactorMethod[];
}

/**
 * A passkey's answer to a challenge: the `AuthenticationResponseJSON` that @simplewebauthn/browser's
 * `startAuthentication` resolves with, as the API's input describes it. Typed from the router, so
 * this package needs no WebAuthn library: the app runs the ceremony and hands the JSON over.
 */
export type PasskeyAuthenticationResponse = inferRouterInputs<AppRouter>["auth"]["signinWithPasskey"]["response"];
/**
 * What `auth.passkeySigninOptions` answers (`PublicKeyCredentialRequestOptionsJSON`), for
 * `startAuthentication({ optionsJSON })`. Its challenge is single-use and lives 5 minutes.
 */
export type PasskeyRequestOptions = inferRouterOutputs<AppRouter>["auth"]["passkeySigninOptions"];

/**
 * What `auth.verifySecondFactor` takes: `{ mfaToken, code }`, `{ mfaToken, recoveryCode }` or
 * `{ mfaToken, passkey }`.
 */
export type SecondFactorInput =
  | { mfaToken: string; code: string }
  | { mfaToken: string; recoveryCode: string }
  | { mfaToken: string; passkey: PasskeyAuthenticationResponse };
