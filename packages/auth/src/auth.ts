// The service's public shape; `createAuth` (create-auth.ts) builds it.
import type { AccountService } from "./account/account.ts";
import type { AccountRecovery } from "./recovery/account-recovery.ts";
import type { Duration } from "./config/duration.ts";
import type { AuthGuard } from "./tokens/guard.ts";
import type { RegisterInput, SigninInput } from "./input.ts";
import type { KeySet } from "./keys/key-set-types.ts";
import type { PruneResult } from "./sessions/prune.ts";
import type { SessionCacheStatus } from "./sessions/session-cache.ts";
import type { SessionEvents } from "./sessions/session-events.ts";
import type { AMR } from "./amr.ts";
import type { VerifySecondFactorInput } from "./second-factors/second-factor-input.ts";
import type { SigninStep } from "./second-factors/second-step.ts";
import type { TOTPEnrolment } from "./second-factors/totp-enrolment.ts";
import type { PasskeyManagement } from "./passkeys/passkey-management.ts";
import type { PasskeySignin } from "./passkeys/passkey-signin.ts";
import type { SecurityEventFeed } from "./security-events/security-event-feed.ts";
import type { AuthResult, ClientInfo, Session, TokenRequest, User } from "./types.ts";
import type { DPoPMode } from "./config/options.ts";
import type { ReportUnrecognizedSigninInput } from "./input.ts";
import type { SecurityEventPage } from "./security-events/security-event-list.ts";

/**
 * What `createAccount` returns: signed in, or (with `requireEmailVerification`) told to check
 * the mailbox. The second answer is the same whether or not the address already had an account.
 */
export type CreateAccountResult =
  | { verificationRequired: false; result: AuthResult }
  | { verificationRequired: true; email: string };

export interface Auth extends AccountService, AccountRecovery, TOTPEnrolment, PasskeySignin, PasskeyManagement {
  /**
   * Creates an account, mails a verification link and signs it in. Throws `EMAIL_TAKEN`,
   * `WEAK_PASSWORD`, `INVALID_INPUT`, and, with `requireEmailVerification` (no tokens before
   * the address is proven), `EMAIL_NOT_VERIFIED` for every well-formed registration: use
   * `createAccount` there.
   */
  register(input: RegisterInput, client?: ClientInfo): Promise<AuthResult>;
  /** Like `register`, but answers `{ verificationRequired: true }` where `register` throws. */
  createAccount(input: RegisterInput, client?: ClientInfo): Promise<CreateAccountResult>;
  /**
   * Attempts a sign-in. Throws `INVALID_CREDENTIALS`, `RATE_LIMITED` (with `retryAfter`),
   * `SERVER_BUSY` (with `retryAfter`) when too many passwords are being checked at once, and
   * with `requireEmailVerification` `EMAIL_NOT_VERIFIED` once the password checked out (a new
   * verification link is then mailed, at most one a minute), and `MFA_REQUIRED` for an account
   * with two-step verification on: use `signinOrChallenge` there.
   */
  signin(input: SigninInput, client?: ClientInfo): Promise<AuthResult>;
  /**
   * Like `signin`, but an account with TOTP or a passkey answers `{ mfaRequired: true, mfaToken, methods }`
   * (no session yet) where `signin` throws; `verifySecondFactor` then opens the session.
   *
   * @example
   * const step = await auth.signinOrChallenge({ email, password }, client);
   * const result = step.mfaRequired ? await auth.verifySecondFactor({ mfaToken: step.mfaToken, code }, client) : step.result;
   */
  signinOrChallenge(input: SigninInput, client?: ClientInfo): Promise<SigninStep>;
  /**
   * The second step: a sign-in's (or a reset's) `mfaToken` and a TOTP `code`, a `recoveryCode`
   * or a `passkey` assertion (answering `passkeySigninOptions({ mfaToken })`) open the session,
   * its `amr` saying which. Throws `MFA_TOKEN_INVALID` (unknown, used, expired,
   * out of attempts, from another address, or older than a credential change),
   * `SECOND_FACTOR_INVALID`, `RATE_LIMITED` and `INVALID_INPUT`.
   */
  verifySecondFactor(input: VerifySecondFactorInput, client?: ClientInfo): Promise<AuthResult>;
  /**
   * Rotates a refresh token. Throws `TOKEN_INVALID`, `SESSION_REVOKED` or `REFRESH_REUSED`.
   * A session bound to a DPoP key needs `client.dpop`, a proof from that key: otherwise
   * `DPOP_PROOF_INVALID`, and the refresh token stays unused.
   */
  refresh(refreshToken: string, client?: ClientInfo): Promise<AuthResult>;
  /** Revokes this session, or with `everywhere` every session of its user. Returns how many; `INVALID_INPUT` for a malformed id. */
  logout(session: Pick<Session, "id" | "userId">, options?: { everywhere?: boolean }): Promise<number>;
  /**
   * Issues an access token for `user`: for `options.sessionId`, or for a new session.
   * Throws `NOT_FOUND` for an unknown user, `SESSION_REVOKED` for a session that is not the
   * user's live one, and `INVALID_INPUT` for an id that is not a UUID.
   */
  getBearerToken(user: Pick<User, "id">, options?: { sessionId?: string; client?: ClientInfo }): Promise<string>;
  /**
   * The token's user with its session's `amr` (RFC 8176: what the sign-in proved), or `null`
   * when it is invalid, expired, revoked, or the user is gone.
   */
  checkBearerToken(token: string | null | undefined, request?: TokenRequest): Promise<(User & { amr: AMR[] }) | null>;
  /**
   * Like `checkBearerToken`, but throws the reason (`TOKEN_EXPIRED`, `SESSION_REVOKED`, ...).
   * A token bound to a DPoP key is accepted only with `request` `{ scheme: "DPoP", dpop }`, a
   * fresh proof of that key for this request (`DPOP_PROOF_INVALID` otherwise); a bound token
   * sent as `Bearer`, or an unbound one sent as `DPoP`, is `TOKEN_INVALID`.
   *
   * @example await auth.verifyBearerToken(token, { scheme: "DPoP", dpop: { proof, htm: "GET", htu: "https://app.example/api/trpc/auth.me" } });
   */
  verifyBearerToken(token: string, request?: TokenRequest): Promise<{ user: User; session: Session }>;
  /**
   * A fresh nonce for the `DPoP-Nonce` response header when `dpop.nonce` is on, otherwise `null`.
   *
   * @example const nonce = auth.dpopNonce(); if (nonce) headers.set("DPoP-Nonce", nonce);
   */
  dpopNonce(): string | null;
  /** A per-request guard holding who is signed in; see `loginUsingBearerToken`. */
  guard(): AuthGuard;
  /** Deletes ended throttle windows, ended email tokens, and sessions ended more than `keep` (default 30d) ago. Run it daily. */
  prune(keep?: Duration): Promise<PruneResult>;
  /**
   * The user's security events (sign-ins, session ends, credential changes), newest first,
   * `limit` (default 20, at most 100) a page; pass `nextCursor` back for older ones.
   * `INVALID_INPUT` for a malformed `userId`, a cursor not made here or a `limit` out of range.
   *
   * @example const { events, nextCursor } = await auth.securityEvents(user.id, { limit: 20 });
   */
  securityEvents(userId: string, options?: { cursor?: string | null; limit?: number }): Promise<SecurityEventPage>;
  /**
   * Uses the token of a new-device alert's "This wasn't me" link: signs the account out
   * everywhere and returns a password-reset token for `/reset-password#token=…`. Single use,
   * 24 h, void after any credential change: `LINK_INVALID`, `LINK_USED`, `LINK_EXPIRED`.
   *
   * @example const { resetToken } = await auth.reportUnrecognizedSignin({ token });
   */
  reportUnrecognizedSignin(input: ReportUnrecognizedSigninInput): Promise<{ resetToken: string }>;
  /** Resolves once the mail queued so far was sent, or failed and was reported: for tests and shutdown. */
  idle(): Promise<void>;
  /**
   * The signing keys: `jwks()` for publication, `list()`, `rotate()` and `retire(kid)` for
   * operators (see `pnpm keys`). Under HS* the set is empty and the JWKS has no keys.
   */
  readonly keys: KeySet;
  /**
   * Session endings (logout, revocation, password change, account deletion...) made through any
   * instance sharing the database, or directly in SQL.
   *
   * @example const stop = auth.sessionEvents.watch(session, ({ reason }) => console.info("ended:", reason));
   */
  readonly sessionEvents: SessionEvents;
  /**
   * The Security Event Token feed (RFC 8417 SETs, polled per RFC 8936; docs/security-event-feed.md):
   * `poll` for the HTTP endpoint, `receivers` to register the services that poll.
   *
   * @example const { credential } = await auth.securityEventFeed.receivers.add("notes");
   */
  readonly securityEventFeed: SecurityEventFeed;
  /** The session cache's mode, state and counters (see docs/session-cache.md). */
  readonly sessionCache: SessionCacheStatus;
  /** Writes pending `last_used_at` updates and stops listening for revocations; the database stays open. */
  close(): Promise<void>;
  /** Access-token lifetime and leeway, in seconds, for clients and docs. */
  readonly settings: {
    ttl: number;
    leeway: number;
    refreshTtl: number;
    refreshReuseInterval: number;
    /** Password-reset link lifetime, in seconds. */
    resetTtl: number;
    requireEmailVerification: boolean;
    /** Where the app's pages live (`appUrl`): DPoP proofs' `htu` is compared on its origin. */
    appUrl: string;
    /** DPoP (RFC 9449): the mode, the proof window in seconds, and whether proofs need a server nonce. */
    dpop: { mode: DPoPMode; proofWindow: number; nonce: boolean };
  };
}
