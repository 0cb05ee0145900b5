import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { createAccessTokens } from "./access-token.ts";
import { createAccountService, type AccountService } from "./account.ts";
import { AuthError } from "./errors.ts";
import { createGuard, type AuthGuard } from "./guard.ts";
import { parseInput, registerInputSchema, signinInputSchema, type RegisterInput, type SigninInput } from "./input.ts";
import { createKeySet, type KeySet } from "./key-set.ts";
import { cleanClientInfo } from "./lib/client-info.ts";
import { isForeignKeyViolation, isUniqueViolation, rethrowDatabaseError } from "./lib/db-errors.ts";
import { sessionProblem, toSession, toUser, type Tx, userColumns } from "./lib/rows.ts";
import { assertUUID } from "./lib/uuid.ts";
import type { Duration } from "./duration.ts";
import { type AuthOptions, resolveOptions } from "./options.ts";
import { prune, type PruneResult } from "./prune.ts";
import { assertPasswordPolicy, hashPassword, needsRehash, verifyPassword, PASSWORD_MAX_LENGTH } from "./password.ts";
import { createRefreshTokens } from "./refresh-token.ts";
import { rotateRefreshToken } from "./rotate-refresh-token.ts";
import { users } from "./schema.ts";
import { createSessionCheck, type SessionCacheStatus } from "./session-cache.ts";
import { createSessionEvents, type SessionEvents } from "./session-events.ts";
import { createSessionStore } from "./session-store.ts";
import { revocationFeed } from "./lib/revocation-feed.ts";
import { createRegisterThrottle } from "./register-throttle.ts";
import { createSigninThrottle } from "./throttle.ts";
import type { AuthResult, ClientInfo, Session, User } from "./types.ts";

export interface Auth extends AccountService {
  /** Creates an account and signs it in. Throws `EMAIL_TAKEN`, `WEAK_PASSWORD`, `INVALID_INPUT`. */
  register(input: RegisterInput, client?: ClientInfo): Promise<AuthResult>;
  /** Attempts a sign-in. Throws `INVALID_CREDENTIALS` or `RATE_LIMITED` (with `retryAfter`). */
  signin(input: SigninInput, client?: ClientInfo): Promise<AuthResult>;
  /** Rotates a refresh token. Throws `TOKEN_INVALID`, `SESSION_REVOKED` or `REFRESH_REUSED`. */
  refresh(refreshToken: string): Promise<AuthResult>;
  /** Revokes this session, or with `everywhere` every session of its user. Returns how many; `INVALID_INPUT` for a malformed id. */
  logout(session: Pick<Session, "id" | "userId">, options?: { everywhere?: boolean }): Promise<number>;
  /**
   * Issues an access token for `user`: for `options.sessionId`, or for a new session.
   * Throws `NOT_FOUND` for an unknown user, `SESSION_REVOKED` for a session that is not the
   * user's live one, and `INVALID_INPUT` for an id that is not a UUID.
   */
  getBearerToken(user: Pick<User, "id">, options?: { sessionId?: string; client?: ClientInfo }): Promise<string>;
  /** The token's user, or `null` when it is invalid, expired, revoked, or the user is gone. */
  checkBearerToken(token: string | null | undefined): Promise<User | null>;
  /** Like `checkBearerToken`, but throws the reason (`TOKEN_EXPIRED`, `SESSION_REVOKED`, ...). */
  verifyBearerToken(token: string): Promise<{ user: User; session: Session }>;
  /** A per-request guard holding who is signed in; see `loginUsingBearerToken`. */
  guard(): AuthGuard;
  /** Deletes ended throttle windows and sessions ended more than `keep` (default 30d) ago. Run it daily. */
  prune(keep?: Duration): Promise<PruneResult>;
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
  /** The session cache's mode, state and counters (see the README, "Session cache and revocation"). */
  readonly sessionCache: SessionCacheStatus;
  /** Writes pending `last_used_at` updates and stops listening for revocations; the database stays open. */
  close(): Promise<void>;
  /** Access-token lifetime and leeway, in seconds, for clients and docs. */
  readonly settings: { ttl: number; leeway: number; refreshTtl: number; refreshReuseInterval: number };
}

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
  const store = createSessionStore(config);
  const throttle = createSigninThrottle({ config, signedInFrom: (...args) => store.signedInFrom(...args) });
  const registrations = createRegisterThrottle(config);
  const feed = revocationFeed(db);
  // Subscribed before the events: a watcher told of an ending finds the cache already dropped.
  const check = createSessionCheck({ config, access, keys, store, feed });
  const sessionEvents = createSessionEvents({
    feed,
    lookup: (watched) => store.endedSessions(watched),
    found: (ids) => check.revoked.sessions(ids),
    onWarning: config.onWarning,
  });
  // Verified against when the email is unknown, so a miss costs as long as a wrong password.
  let dummyHash: Promise<string> | undefined;

  /** Inserts a session and its first refresh token; call inside the caller's transaction. */
  async function openSession(tx: Tx, userId: string, client: ClientInfo): Promise<{ session: Session; refreshToken: string }> {
    const refreshToken = refreshTokens.issue();
    const session = await store.insert(tx, userId, client);
    await store.insertRefreshToken(tx, session.id, refreshTokens.hash(refreshToken));
    return { session, refreshToken };
  }

  async function result(user: User, session: Session, refreshToken: string): Promise<AuthResult> {
    const { token, expiresAt } = await access.sign(session);
    return { user, session, accessToken: token, accessTokenExpiresAt: expiresAt, refreshToken, tokenType: "Bearer" };
  }

  const verifyBearerToken = (token: string): Promise<{ user: User; session: Session }> => check.verify(token);

  const auth: Auth = {
    ...createAccountService({ config, store, throttle, revoked: check.revoked }),
    keys,
    sessionEvents: { watch: (session, listener) => sessionEvents.watch(session, listener) },
    sessionCache: check.status,
    async close() {
      sessionEvents.close();
      check.close();
      await store.flushUsage();
    },
    settings: {
      ttl: config.ttl,
      leeway: config.leeway,
      refreshTtl: config.refreshTtl,
      refreshReuseInterval: config.refreshReuseInterval,
    },

    async register(input, rawClient = {}) {
      const client = cleanClientInfo(rawClient);
      const { email, password, name } = parseInput(registerInputSchema, input);
      assertPasswordPolicy(password);
      await registrations.count(client.ipAddress).catch(rethrowDatabaseError);
      const passwordHash = await hashPassword(password, config.passwordParams);
      const now = config.now();
      try {
        // One transaction: a failure at any step leaves no account behind an error response.
        const { user, session, refreshToken } = await db.transaction(async (tx) => {
          const [created] = await tx
            .insert(users)
            .values({ id: randomUUID(), email, name, passwordHash, createdAt: now, updatedAt: now })
            .returning(userColumns);
          if (!created) throw new Error("user insert returned no row");
          return { user: created, ...(await openSession(tx, created.id, client)) };
        });
        return await result(user, session, refreshToken);
      } catch (error) {
        // The unique index on the canonical email decides races: exactly one insert wins.
        if (isUniqueViolation(error)) throw new AuthError("EMAIL_TAKEN", "An account with this email already exists.");
        return rethrowDatabaseError(error);
      }
    },

    async signin(input, rawClient = {}) {
      // Cleaned first: the address is a throttle key as well as a session column.
      const client = cleanClientInfo(rawClient);
      const { email, password } = parseInput(signinInputSchema, input);
      if ([...password].length > PASSWORD_MAX_LENGTH) assertPasswordPolicy(password);
      try {
        const [row] = await db.select().from(users).where(eq(users.email, email)).limit(1);
        const attempt = await throttle.begin({ email, ipAddress: client.ipAddress, userId: row?.id ?? null });
        let valid: boolean;
        try {
          dummyHash ??= hashPassword(refreshTokens.issue(), config.passwordParams);
          valid = await verifyPassword(row?.passwordHash ?? (await dummyHash), password);
        } catch (error) {
          await attempt.abandon();
          throw error;
        }
        if (!row || !valid) {
          await attempt.failed();
          throw new AuthError("INVALID_CREDENTIALS", "Invalid email or password.");
        }
        await attempt.succeeded();
        if (needsRehash(row.passwordHash, config.passwordParams)) {
          const passwordHash = await hashPassword(password, config.passwordParams);
          await db.update(users).set({ passwordHash, updatedAt: config.now() }).where(eq(users.id, row.id));
        }
        const { session, refreshToken } = await db.transaction((tx) => openSession(tx, row.id, client));
        return await result(toUser(row), session, refreshToken);
      } catch (error) {
        return rethrowDatabaseError(error);
      }
    },

    async refresh(refreshToken) {
      if (typeof refreshToken !== "string" || !refreshTokens.isWellFormed(refreshToken)) {
        throw new AuthError("TOKEN_INVALID", "The refresh token is invalid.");
      }
      const rotation = await rotateRefreshToken({ config, tokens: refreshTokens, store }, refreshToken).catch(rethrowDatabaseError);
      switch (rotation.kind) {
        case "rotated":
          return result(rotation.user, rotation.session, rotation.refreshToken);
        case "unknown":
          throw new AuthError("TOKEN_INVALID", "The refresh token is invalid.");
        case "revoked":
        case "expired":
          throw new AuthError("SESSION_REVOKED", "The session has ended; sign in again.");
        case "reused":
          check.revoked.sessions([rotation.sessionId]);
          throw new AuthError("REFRESH_REUSED", "The refresh token was already used; the session is revoked.");
      }
    },

    async logout(session, { everywhere = false } = {}) {
      if (everywhere) assertUUID(session.userId, "session.userId");
      else assertUUID(session.id, "session.id");
      try {
        if (everywhere) {
          const count = await store.revokeAllForUser(db, session.userId, { reason: "logout_everywhere" });
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
      const session = sessionId
        ? await verifySessionOwner(sessionId, user.id)
        : await store.insert(db, user.id, client).catch((error: unknown) => {
            // The session's user_id references users: a violation means there is no such user.
            if (isForeignKeyViolation(error)) throw new AuthError("NOT_FOUND", "No such user.", { cause: error });
            return rethrowDatabaseError(error);
          });
      return (await access.sign(session)).token;
    },

    async checkBearerToken(token) {
      if (!token) return null;
      try {
        return (await verifyBearerToken(token)).user;
      } catch (error) {
        // A database outage is not "signed out": let it surface.
        if (error instanceof AuthError && error.code !== "DATABASE_UNAVAILABLE") return null;
        throw error;
      }
    },

    verifyBearerToken,
    prune: (keep) => prune(config, keep),
    guard: () => createGuard({ verifyBearerToken, getBearerToken: (user, sessionId) => auth.getBearerToken(user, { sessionId }) }),
  };

  async function verifySessionOwner(sessionId: string, userId: string): Promise<Session> {
    const row = await store.findWithUser(sessionId).catch(rethrowDatabaseError);
    if (!row || row.session.userId !== userId || sessionProblem(row.session, config.now())) {
      throw new AuthError("SESSION_REVOKED", "The session has ended; sign in again.");
    }
    return toSession(row.session);
  }

  return auth;
}
