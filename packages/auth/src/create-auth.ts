import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { createAccessTokens } from "./tokens/access-token.ts";
import { createAccountService } from "./account/account.ts";
import { createAccountRecovery, MAIL_INTERVAL } from "./recovery/account-recovery.ts";
import { AuthError } from "./errors.ts";
import { createGuard } from "./tokens/guard.ts";
import { parseInput, registerInputSchema, signinInputSchema } from "./input.ts";
import { createKeySet } from "./keys/key-set.ts";
import { createBackground } from "./recovery/background.ts";
import { type BoundClient, cleanClientInfo } from "./throttling/client-info.ts";
import { createDPoPCheck } from "./dpop/dpop-check.ts";
import { createPasswordGates } from "./passwords/password-gates.ts";
import { hit } from "./throttling/counters.ts";
import { createEmailTokens, VERIFY_TTL } from "./recovery/email-tokens.ts";
import { createRecoveryMail } from "./recovery/recovery-mail.ts";
import { createThrottleKeys } from "./throttling/throttle-keys.ts";
import { lockCredentialVersion, raiseCredentialVersion, raiseKeepingSessions } from "./database/credential-version.ts";
import { isUniqueViolation, rethrowDatabaseError } from "./database/db-errors.ts";
import { sessionProblem, toSession, toUser, type Tx, userColumns } from "./database/rows.ts";
import { assertUUID } from "./lib/uuid.ts";
import { type AuthOptions, resolveOptions } from "./config/options.ts";
import { prune } from "./sessions/prune.ts";
import { assertPasswordPolicy, needsRehash, PASSWORD_MAX_LENGTH } from "./passwords/password.ts";
import { createRefreshTokens } from "./sessions/refresh-token.ts";
import { rotateRefreshToken } from "./sessions/rotate-refresh-token.ts";
import { users } from "./database/schema.ts";
import { createSessionCheck } from "./sessions/session-cache.ts";
import { createSessionEvents } from "./sessions/session-events.ts";
import { createSessionStore } from "./sessions/session-store.ts";
import { revocationFeed } from "./database/revocation-feed.ts";
import { createRegisterThrottle } from "./throttling/register-throttle.ts";
import { createSigninThrottle } from "./throttling/throttle.ts";
import type { AuthResult, ClientInfo, Session, TokenRequest, User } from "./types.ts";
import { createPasswordConfirmation } from "./passwords/confirm-password.ts";
import { PASSWORD_AMR } from "./amr.ts";
import { cacheFactorStatus } from "./second-factors/cached-factor-status.ts";
import { createFactorStore } from "./second-factors/factor-store.ts";
import { createMFAChallenges } from "./second-factors/mfa-challenges.ts";
import { createSecondStep, mfaRequired, type PendingSecondStep, type SigninStep } from "./second-factors/second-step.ts";
import { createPasskeys } from "./passkeys/passkeys.ts";
import { createTOTPEnrolment } from "./second-factors/totp-enrolment.ts";
import { createSecurityEventFeed } from "./security-events/security-event-feed.ts";

import type { Auth, CreateAccountResult } from "./auth.ts";
import type { OpenedSession, SigninOwner } from "./sessions/session-store.ts";
import { userAgentFamily } from "./security-events/device-key.ts";
import { listSecurityEvents } from "./security-events/security-event-list.ts";
import { recordSignin } from "./security-events/signin-event.ts";
import { recordThrottledSignin } from "./security-events/throttled-signin.ts";
import { createUnrecognizedSignin } from "./recovery/unrecognized-signin.ts";

const invalidCredentials = () => new AuthError("INVALID_CREDENTIALS", "Invalid email or password.");

export type { Auth, CreateAccountResult } from "./auth.ts";

/**
 * Builds the auth service over a migrated database.
 *
 * @example
 * const env = loadAuthEnv();
 * const database = await createDatabase({ url: env.DATABASE_URL });
 * await migrate(database.db);
 * const auth = createAuth({ db: database.db, secret: env.AUTH_SECRET ?? "" }); // ES256 keys in the database
 * const { accessToken } = await auth.signin({ email, password });
 * const user = await auth.checkBearerToken(accessToken);
 */
export function createAuth(options: AuthOptions): Auth {
  const config = resolveOptions(options);
  const { db } = config;
  const keys = createKeySet(config);
  const access = createAccessTokens(config, keys);
  const refreshTokens = createRefreshTokens(config.secret);
  const dpop = createDPoPCheck(config);
  const store = createSessionStore(config);
  const throttle = createSigninThrottle({ config, signinAddresses: (...args) => store.signinAddresses(...args) });
  const registrations = createRegisterThrottle(config);
  // Every argon2 call goes through these gates, so a sign-in flood leaves a core to the event loop.
  const passwords = createPasswordGates(config);
  const gate = passwords.checks;
  const hashGated = (password: string) => gate.run(() => passwords.hash(password));
  const feed = revocationFeed(db);
  // Subscribed before the events: a watcher told of an ending finds the cache already dropped.
  const check = createSessionCheck({ config, access, keys, store, feed });
  const sessionEvents = createSessionEvents({
    feed,
    lookup: (watched) => store.endedSessions(watched),
    found: (ids) => check.revoked.sessions(ids),
    onWarning: config.onWarning,
    maxWatches: config.eventStreamsMax,
  });
  const securityEventFeed = createSecurityEventFeed({ config, keys, feed });
  const background = createBackground(config.onWarning);
  const mail = createRecoveryMail(config, background);
  const emailTokens = createEmailTokens(config);
  const throttleKeys = createThrottleKeys(config);
  const factors = cacheFactorStatus(createFactorStore(config), { config, feed });
  const challenges = createMFAChallenges(config, { maxFailures: config.throttle.mfaTokenMaxFailures });
  const confirmPassword = createPasswordConfirmation({ config, throttle, passwords });
  const enrolment = createTOTPEnrolment({ config, factors, throttle, mail, confirmPassword, raiseKeepingSessions });
  const { answerWithPasskey, ...passkeys } = createPasskeys({
    config,
    factors,
    mfa: challenges,
    codes: enrolment,
    throttle,
    mail,
    confirmPassword,
    raiseKeepingSessions,
    openSession,
    result,
  });
  const unrecognized = createUnrecognizedSignin({ config, store, tokens: emailTokens, mail, background, revoked: check.revoked });
  const verifySecondFactor = createSecondStep({ config, factors, challenges, throttle, mail, openSession, result, answerWithPasskey });
  // Verified against when the email is unknown, so a miss costs as long as a wrong password.
  let dummyHash: Promise<string> | undefined;
  function dummy(): Promise<string> {
    dummyHash ??= passwords.hash(refreshTokens.issue()).catch((error: unknown) => {
      dummyHash = undefined; // made again by the next miss
      throw error;
    });
    return dummyHash;
  }

  /**
   * Inserts a session and its first refresh token, under the credential version the caller
   * locked in this transaction, and ends the user's least recently used sessions beyond
   * `maxSessionsPerUser`. Their ids come back in `evicted`: drop them locally once committed.
   */
  async function openSession(tx: Tx, owner: SigninOwner, client: BoundClient): Promise<OpenedSession> {
    const refreshToken = refreshTokens.issue();
    const session = await store.insert(tx, owner, client);
    await store.insertRefreshToken(tx, session.id, refreshTokens.hash(refreshToken));
    const evicted = await store.revokeBeyond(tx, owner.userId, config.maxSessionsPerUser);
    // In this transaction: a sign-in is in the log exactly when its session exists.
    const signin = await recordSignin(tx, config, { userId: owner.userId, sessionId: session.id, amr: owner.amr, method: owner.method, client });
    // A reset is mailed as a credential change already: one alert for it, not two.
    return { session, refreshToken, evicted, newDevice: signin.newDevice && owner.method !== "reset" };
  }

  /**
   * In the transaction that checked the password (under the user row lock, `owner` read there):
   * with TOTP or a passkey, the token of the second step instead of a session, bound to this
   * credential version and client; otherwise the session, opened with a password alone.
   */
  async function openOrChallenge(tx: Tx, owner: Omit<SigninOwner, "amr">, client: ClientInfo): Promise<OpenedSession | PendingSecondStep> {
    const methods = await factors.methods(tx, owner.userId);
    if (methods.length > 0) return { mfaToken: await challenges.issue(tx, owner, client), methods };
    return openSession(tx, { ...owner, amr: PASSWORD_AMR }, client);
  }

  /** A sign-in's answer once its transaction committed: the session's tokens, or the second step. */
  async function stepOf(user: User, opened: OpenedSession | PendingSecondStep): Promise<SigninStep> {
    if ("mfaToken" in opened) return { mfaRequired: true, mfaToken: opened.mfaToken, methods: opened.methods };
    return { mfaRequired: false, result: await result(user, opened) };
  }

  /** The tokens of a session whose transaction has committed. */
  async function result(user: User, { session, refreshToken, evicted, newDevice }: OpenedSession): Promise<AuthResult> {
    if (evicted.length > 0) check.revoked.sessions(evicted);
    if (newDevice) {
      unrecognized.alertNewDevice({ userId: user.id, email: user.email }, { at: session.createdAt, device: userAgentFamily(session.userAgent), ipAddress: session.ipAddress });
    }
    const { token, expiresAt } = await access.sign(session);
    return { user, session, accessToken: token, accessTokenExpiresAt: expiresAt, refreshToken, tokenType: session.dpopJkt ? "DPoP" : "Bearer" };
  }

  /**
   * The client an entry point opens its session for: its proof checked (before any other work,
   * so `required` refuses early) and spent, and `dpopJkt` set from it alone, whatever was passed.
   */
  async function bind(client: ClientInfo = {}): Promise<BoundClient> {
    return { userAgent: client.userAgent, ipAddress: client.ipAddress, dpopJkt: await dpop.binding(client.dpop) };
  }

  async function verifyBearerToken(token: string, request: TokenRequest = { scheme: "Bearer" }): Promise<{ user: User; session: Session }> {
    const verified = await check.verify(token);
    // The session's thumbprint is the one its tokens carry as `cnf.jkt`: they are signed from it.
    const jkt = verified.session.dpopJkt;
    if (jkt === null) {
      if (request.scheme === "DPoP") throw new AuthError("TOKEN_INVALID", "The access token is not bound to a key; send it as Bearer.");
      return verified;
    }
    // A bound token alone is worth nothing (RFC 9449 §7.1): a copy taken from a log or a proxy
    // needs the key too. Under `off` no proof is checked, so nothing bound is accepted either.
    if (request.scheme !== "DPoP" || dpop.mode === "off") {
      throw new AuthError("TOKEN_INVALID", "The access token is bound to a key; send it as DPoP with a proof.");
    }
    const presented = await dpop.proofFor(request.dpop, token);
    if (presented !== jkt) throw new AuthError("DPOP_PROOF_INVALID", "The DPoP proof is invalid: signed by another key than the token's.");
    return verified;
  }

  /** An unverified sign-in gets a fresh link, one a minute at most (the counter resendVerification uses). */
  async function mailVerificationAgain(userId: string, email: string): Promise<void> {
    const counted = await hit(db, { key: throttleKeys.userMail("verify", userId), limit: 1, window: MAIL_INTERVAL }, config.now());
    if (counted.over) return;
    const token = await db.transaction((tx) => emailTokens.issue(tx, { userId, purpose: "verify_email", ttl: VERIFY_TTL }));
    mail.verify(email, token);
  }

  /**
   * Registration when the address must be verified first: the answer may not tell whether the
   * address already had an account, by its body or by its timing. So the request does the same
   * work either way (one insert that a taken address skips), and everything that differs (the
   * verification link for a new account, a notice to the owner of a taken one) happens after the
   * answer. If that later work fails, signing in mails the link again.
   */
  async function createUnverified(values: typeof users.$inferInsert): Promise<CreateAccountResult> {
    const { email } = values;
    const [created] = await db
      .insert(users)
      .values(values)
      .onConflictDoNothing({ target: users.email })
      .returning({ id: users.id })
      .catch(rethrowDatabaseError);
    background.run("auth: could not mail a new account's verification link", async () => {
      if (!created) {
        // No enumeration: the same answer as a new account, and the owner hears of the attempt.
        mail.registrationAttempt(email);
        return;
      }
      const token = await db.transaction((tx) => emailTokens.issue(tx, { userId: created.id, purpose: "verify_email", ttl: VERIFY_TTL }));
      mail.verify(email, token);
    });
    return { verificationRequired: true, email };
  }

  const recovery = createAccountRecovery({
    config,
    store,
    throttle,
    passwords,
    revoked: check.revoked,
    mail,
    background,
    openSession,
    result,
    openOrChallenge,
    stepOf,
    codes: enrolment,
  });

  const auth: Auth = {
    ...createAccountService({ config, store, throttle, passwords, revoked: check.revoked, codes: enrolment, mail }),
    ...recovery,
    resetPassword: async (input, client) => recovery.resetPassword(input, await bind(client)),
    resetPasswordOrChallenge: async (input, client) => recovery.resetPasswordOrChallenge(input, await bind(client)),
    reportUnrecognizedSignin: (input) => unrecognized.reportUnrecognizedSignin(input),
    securityEvents: async (userId, options = {}) => {
      assertUUID(userId, "userId");
      return listSecurityEvents(db, userId, options).catch(rethrowDatabaseError);
    },
    totpSetup: (current, input, client) => enrolment.totpSetup(current, input, client).catch(rethrowDatabaseError),
    totpEnable: (current, input) => enrolment.totpEnable(current, input).catch(rethrowDatabaseError),
    totpDisable: (current, input, client) => enrolment.totpDisable(current, input, client).catch(rethrowDatabaseError),
    regenerateRecoveryCodes: (current, input, client) => enrolment.regenerateRecoveryCodes(current, input, client).catch(rethrowDatabaseError),
    twoFactorStatus: (userId) => {
      assertUUID(userId, "userId");
      return enrolment.twoFactorStatus(userId).catch(rethrowDatabaseError);
    },
    verifySecondFactor: async (input, client) => verifySecondFactor(input, await bind(client)).catch(rethrowDatabaseError),
    passkeySigninOptions: (input, client) => passkeys.passkeySigninOptions(input, client).catch(rethrowDatabaseError),
    signinWithPasskey: async (input, client) => passkeys.signinWithPasskey(input, await bind(client)).catch(rethrowDatabaseError),
    passkeys: (userId) => {
      assertUUID(userId, "userId");
      return passkeys.passkeys(userId).catch(rethrowDatabaseError);
    },
    passkeyConfirmOptions: (current) => passkeys.passkeyConfirmOptions(current).catch(rethrowDatabaseError),
    passkeyRegistrationOptions: (current, input, client) => passkeys.passkeyRegistrationOptions(current, input, client).catch(rethrowDatabaseError),
    addPasskey: (current, input) => passkeys.addPasskey(current, input).catch(rethrowDatabaseError),
    renamePasskey: (current, input) => passkeys.renamePasskey(current, input).catch(rethrowDatabaseError),
    removePasskey: (current, input, client) => passkeys.removePasskey(current, input, client).catch(rethrowDatabaseError),
    keys,
    sessionEvents: {
      watch: (session, listener, options) => sessionEvents.watch(session, listener, options),
      get size() {
        return sessionEvents.size;
      },
    },
    securityEventFeed: { poll: (receiver, options) => securityEventFeed.poll(receiver, options), receivers: securityEventFeed.receivers },
    sessionCache: check.status,
    async close() {
      securityEventFeed.close();
      sessionEvents.close();
      check.close();
      factors.close();
      await store.flushUsage();
    },
    settings: {
      ttl: config.ttl,
      leeway: config.leeway,
      refreshTtl: config.refreshTtl,
      refreshReuseInterval: config.refreshReuseInterval,
      resetTtl: config.resetTtl,
      requireEmailVerification: config.requireEmailVerification,
      appUrl: config.appUrl,
      dpop: { ...config.dpop },
    },
    idle: () => background.idle(),

    async register(input, client) {
      const created = await auth.createAccount(input, client);
      if (created.verificationRequired) throw new AuthError("EMAIL_NOT_VERIFIED", "Verify your email address, then sign in.");
      return created.result;
    },

    async createAccount(input, rawClient = {}) {
      const client = cleanClientInfo(await bind(rawClient));
      const { email, password, name } = parseInput(registerInputSchema, input);
      assertPasswordPolicy(password);
      gate.assertAdmissible(); // before the database work a full gate would waste
      await registrations.count(client.ipAddress).catch(rethrowDatabaseError);
      const passwordHash = await hashGated(password);
      const now = config.now();
      const values = { id: randomUUID(), email, name, passwordHash, createdAt: now, updatedAt: now };
      if (config.requireEmailVerification) return createUnverified(values);
      try {
        // One transaction: a failure at any step leaves no account behind an error response.
        const { user, token, session } = await db.transaction(async (tx) => {
          const [created] = await tx
            .insert(users)
            .values(values)
            .returning(userColumns);
          if (!created) throw new Error("user insert returned no row");
          const token = await emailTokens.issue(tx, { userId: created.id, purpose: "verify_email", ttl: VERIFY_TTL });
          const owner = { userId: created.id, credentialVersion: created.credentialVersion, amr: PASSWORD_AMR, method: "register" as const };
          return { user: created, token, session: await openSession(tx, owner, client) };
        });
        mail.verify(email, token);
        return { verificationRequired: false, result: await result(toUser(user), session) };
      } catch (error) {
        // The unique index on the canonical email decides races: exactly one insert wins.
        if (isUniqueViolation(error)) throw new AuthError("EMAIL_TAKEN", "An account with this email already exists.");
        return rethrowDatabaseError(error);
      }
    },

    async signin(input, client) {
      const step = await auth.signinOrChallenge(input, client);
      // The one-step form cannot carry a second step: the session needs the two-step one.
      if (step.mfaRequired) throw mfaRequired();
      return step.result;
    },

    async signinOrChallenge(input, rawClient = {}) {
      // Cleaned first: the address is a throttle key as well as a session column.
      const client = cleanClientInfo(await bind(rawClient));
      const { email, password } = parseInput(signinInputSchema, input);
      if ([...password].length > PASSWORD_MAX_LENGTH) assertPasswordPolicy(password);
      try {
        // The whole check holds a gate slot, not just argon2: waiting attempts then wait in memory,
        // not in the throttle's database polling, which would take the pool from every other call.
        const { row, attempt, valid } = await gate.run(async () => {
          const [row] = await db.select().from(users).where(eq(users.email, email)).limit(1);
          const attempt = await throttle.begin({ email, ipAddress: client.ipAddress, userId: row?.id ?? null }).catch(async (error: unknown) => {
            // A known account's owner sees that someone was refused for too many attempts.
            if (row) await recordThrottledSignin({ config, keys: throttleKeys }, { userId: row.id, client, error });
            throw error;
          });
          try {
            return { row, attempt, valid: await passwords.verify(row?.passwordHash ?? (await dummy()), password) };
          } catch (error) {
            await attempt.abandon();
            throw error;
          }
        });
        if (!row || !valid) {
          await attempt.failed();
          throw invalidCredentials();
        }
        // Checked only now: before the password matched, an unverified account looks like any other.
        if (config.requireEmailVerification && row.emailVerifiedAt === null) {
          await attempt.succeeded();
          await mailVerificationAgain(row.id, row.email);
          throw new AuthError("EMAIL_NOT_VERIFIED", "Verify your email address first; we sent you a new link.");
        }
        const opened = await openCheckedSession(row, password, client).catch(async (error: unknown) => {
          await attempt.abandon();
          throw error;
        });
        // The password was changed (or the account signed out everywhere) while it was being
        // checked: what was typed is no longer the password, so it answers as a wrong one.
        if (!opened) {
          await attempt.failed();
          throw invalidCredentials();
        }
        await attempt.succeeded();
        return await stepOf(toUser(row), opened);
      } catch (error) {
        return rethrowDatabaseError(error);
      }
    },

    async refresh(refreshToken, client = {}) {
      if (typeof refreshToken !== "string" || !refreshTokens.isWellFormed(refreshToken)) {
        throw new AuthError("TOKEN_INVALID", "The refresh token is invalid.");
      }
      // Checked before the rotation: a refused proof leaves the refresh token unused.
      const { dpopJkt } = await bind(client);
      const rotation = await rotateRefreshToken({ config, tokens: refreshTokens, store }, refreshToken, dpopJkt ?? null).catch(rethrowDatabaseError);
      switch (rotation.kind) {
        case "wrong_key":
          throw new AuthError("DPOP_PROOF_INVALID", "The DPoP proof is invalid: this session is bound to another key.");
        case "rotated":
          return result(rotation.user, { session: rotation.session, refreshToken: rotation.refreshToken, evicted: [] });
        case "unknown":
          throw new AuthError("TOKEN_INVALID", "The refresh token is invalid.");
        case "revoked":
        case "expired":
          throw new AuthError("SESSION_REVOKED", "The session has ended; sign in again.");
        case "reused":
          check.revoked.sessions([rotation.sessionId]);
          mail.refreshTokenReused(rotation.user.email, {
            at: config.now(),
            device: userAgentFamily(rotation.session.userAgent),
            ipAddress: rotation.session.ipAddress,
          });
          throw new AuthError("REFRESH_REUSED", "The refresh token was already used; the session is revoked.");
      }
    },

    async logout(session, { everywhere = false } = {}) {
      if (everywhere) assertUUID(session.userId, "session.userId");
      else assertUUID(session.id, "session.id");
      try {
        if (everywhere) {
          // A credential change: links and half-finished flows issued before it die with the sessions.
          const count = await db.transaction(async (tx) => {
            await raiseCredentialVersion(tx, session.userId);
            return store.revokeAllForUser(tx, session.userId, { reason: "logout_everywhere" });
          });
          check.revoked.user(session.userId);
          return count;
        }
        const revoked = await store.revoke(db, { sessionId: session.id }, "logout");
        check.revoked.sessions([session.id]);
        return revoked ? 1 : 0;
      } catch (error) {
        return rethrowDatabaseError(error);
      }
    },

    async getBearerToken(user, { sessionId, client = {} } = {}) {
      assertUUID(user.id, "user.id");
      if (sessionId !== undefined) assertUUID(sessionId, "sessionId");
      const session = sessionId ? await verifySessionOwner(sessionId, user.id) : await insertSessionFor(user.id, client);
      return (await access.sign(session)).token;
    },

    async checkBearerToken(token, request) {
      if (!token) return null;
      try {
        const { user, session } = await verifyBearerToken(token, request);
        return { ...user, amr: session.amr };
      } catch (error) {
        // A database outage is not "signed out": let it surface.
        if (error instanceof AuthError && error.code !== "DATABASE_UNAVAILABLE") return null;
        throw error;
      }
    },

    verifyBearerToken,
    dpopNonce: () => dpop.nonce(),
    prune: (keep) => prune(config, keep),
    guard: () => createGuard({ verifyBearerToken, getBearerToken: (user, sessionId) => auth.getBearerToken(user, { sessionId }) }),
  };

  /** A session for `getBearerToken`: no refresh token, under the user's current credential version. */
  async function insertSessionFor(userId: string, client: ClientInfo): Promise<Session> {
    try {
      const opened = await db.transaction(async (tx) => {
        const credentialVersion = await lockCredentialVersion(tx, userId);
        if (credentialVersion === null) throw new AuthError("NOT_FOUND", "No such user.");
        // No sign-in happened here: the host authenticated the user its own way, which says no method.
        const session = await store.insert(tx, { userId, credentialVersion, amr: [] }, client);
        return { session, evicted: await store.revokeBeyond(tx, userId, config.maxSessionsPerUser) };
      });
      if (opened.evicted.length > 0) check.revoked.sessions(opened.evicted);
      return opened.session;
    } catch (error) {
      return rethrowDatabaseError(error);
    }
  }

  /**
   * Opens the session of a sign-in whose password matched `row`, as read before hashing: only
   * if the account's credential version is still the one read then (a change that committed
   * meanwhile revoked every session, and this one must not outlive it). An outdated hash is
   * replaced only if it is still the one checked, so a rehash can never restore an old password.
   * With TOTP on, the second step's token instead of a session. `null` when the credentials changed.
   */
  async function openCheckedSession(
    row: typeof users.$inferSelect,
    password: string,
    client: ClientInfo,
  ): Promise<OpenedSession | PendingSecondStep | null> {
    const rehashed = needsRehash(row.passwordHash, config.passwordParams) ? await hashGated(password) : null;
    return db.transaction(async (tx) => {
      const credentialVersion = await lockCredentialVersion(tx, row.id);
      if (credentialVersion !== row.credentialVersion) return null;
      if (rehashed) {
        await tx
          .update(users)
          .set({ passwordHash: rehashed, updatedAt: config.now() })
          .where(and(eq(users.id, row.id), eq(users.passwordHash, row.passwordHash)));
      }
      return openOrChallenge(tx, { userId: row.id, credentialVersion, method: "password" }, client);
    });
  }

  async function verifySessionOwner(sessionId: string, userId: string): Promise<Session> {
    const row = await store.findWithUser(sessionId).catch(rethrowDatabaseError);
    if (!row || row.session.userId !== userId || sessionProblem(row.session, config.now(), row.credentialVersion)) {
      throw new AuthError("SESSION_REVOKED", "The session has ended; sign in again.");
    }
    return toSession(row.session);
  }

  return auth;
}
