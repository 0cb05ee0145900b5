import type { PGliteInterface } from "@electric-sql/pglite";
import { type Auth, createAuth } from "./create-auth.ts";
import { createDatabase, type Database } from "./database/database.ts";
import { embeddedSecret } from "./database/embedded-secret.ts";
import { seedEmbeddedDatabase } from "./database/embedded-template.ts";
import type { AuthEnv } from "./config/env.ts";
import { serveKeyAdmin } from "./keys/key-admin.ts";
import { createDevMailbox, type DevMailbox } from "./mail/dev-mailbox.ts";
import { createSmtpMailer } from "./mail/smtp-mailer.ts";
import { migrate } from "./database/migrate.ts";
import { workerThreadOf } from "./database/worker-channel.ts";

/** How the log names a database the caller opened: during start-up, and where it runs. */
function openedBy(pglite: PGliteInterface | undefined): string {
  if (!pglite) return "";
  return workerThreadOf(pglite) ? " (opened during start-up, on a worker thread)" : " (opened during start-up)";
}

/**
 * Opens the database named by the environment, applies migrations and builds the auth service.
 * PostgreSQL when `DATABASE_URL` is set, otherwise embedded PGlite in `PGLITE_DATA_DIR`.
 * Mail goes over SMTP when `SMTP_URL` is set; otherwise into the returned `mailbox`, an
 * in-memory dev mailbox (`mailbox` is `null` whenever real mail is configured).
 *
 * @example const { auth } = await createAuthFromEnv(loadAuthEnv(), { log: console.info });
 */
export async function createAuthFromEnv(
  env: AuthEnv,
  options: {
    log?: (message: string) => void;
    /**
     * On embedded PGlite, serve `pnpm keys` on a loopback port (see keys/key-admin.ts), since no
     * other process can open the database meanwhile. Default `true`.
     */
    keyAdmin?: boolean;
    /**
     * The embedded database on `PGLITE_DATA_DIR`, already being opened by the caller (the demo's
     * start script opens it while Next.js prepares, instead of after). Used instead of opening it
     * here; ignored with `DATABASE_URL`.
     */
    pglite?: Promise<PGliteInterface> | undefined;
  } = {},
): Promise<{ auth: Auth; database: Database; mailbox: DevMailbox | null }> {
  const log = options.log ?? console.info;
  const opening = env.DATABASE_URL ? undefined : options.pglite;
  if (!env.DATABASE_URL && !opening) {
    // A fresh directory starts as a copy of a migrated template: initdb is most of a first start.
    // Any failure here only costs time: PGlite then initialises the directory as before.
    await seedEmbeddedDatabase(env.PGLITE_DATA_DIR, env.PGLITE_TEMPLATE_DIR).catch((error: unknown) => {
      log(`auth: could not start from the template in ${env.PGLITE_TEMPLATE_DIR} (${String(error)}); initialising`);
    });
  }
  const mailbox = env.SMTP_URL ? null : createDevMailbox();
  const mailer = env.SMTP_URL ? createSmtpMailer({ url: env.SMTP_URL, from: env.EMAIL_FROM }) : mailbox;
  log(mailbox ? "auth: no SMTP_URL, so mail goes to the dev mailbox (/dev/mailbox)" : "auth: sending mail over SMTP (SMTP_URL)");
  const pglite = await opening;
  const database = await createDatabase({ url: env.DATABASE_URL, dataDir: env.PGLITE_DATA_DIR, pglite });
  const applied = await migrate(database.db);
  if (applied.length > 0) log(`auth: applied migrations ${applied.join(", ")}`);
  log(
    database.kind === "postgres"
      ? "auth: using PostgreSQL (DATABASE_URL)"
      : `auth: using embedded PGlite at ${env.PGLITE_DATA_DIR}${openedBy(pglite)}`,
  );
  const secret = env.AUTH_SECRET ?? (await embeddedSecret(env.PGLITE_DATA_DIR, log));
  const auth = createAuth({
    db: database.db,
    secret,
    algorithm: env.AUTH_TOKEN_ALGORITHM,
    privateKey: env.AUTH_PRIVATE_KEY,
    keyReloadInterval: env.AUTH_KEY_RELOAD_INTERVAL,
    ttl: env.AUTH_TOKEN_TTL,
    leeway: env.AUTH_TOKEN_LEEWAY,
    issuer: env.AUTH_ISSUER,
    audience: env.AUTH_AUDIENCE,
    refreshTtl: env.AUTH_REFRESH_TTL,
    refreshIdleTimeout: env.AUTH_REFRESH_IDLE_TIMEOUT,
    refreshReuseInterval: env.AUTH_REFRESH_REUSE_INTERVAL,
    sessionCache: env.AUTH_SESSION_CACHE,
    sessionCacheMaxAge: env.AUTH_SESSION_CACHE_MAX_AGE,
    sessionCacheSize: env.AUTH_SESSION_CACHE_SIZE,
    maxSessionsPerUser: env.AUTH_MAX_SESSIONS_PER_USER,
    eventStreamsMax: env.AUTH_EVENT_STREAMS_MAX,
    onWarning: (message, error) => log(`${message}: ${error instanceof Error ? error.message : String(error)}`),
    mailer: mailer ?? undefined,
    appUrl: env.APP_URL,
    webauthn: { rpId: env.AUTH_WEBAUTHN_RP_ID, origins: env.AUTH_WEBAUTHN_ORIGINS, rpName: env.AUTH_WEBAUTHN_RP_NAME },
    resetTtl: env.AUTH_RESET_TTL,
    requireEmailVerification: env.AUTH_REQUIRE_EMAIL_VERIFICATION,
    securityEventsRetention: env.AUTH_SECURITY_EVENTS_RETENTION,
    dpop: { mode: env.AUTH_DPOP, proofWindow: env.AUTH_DPOP_PROOF_WINDOW, nonce: env.AUTH_DPOP_NONCE },
    alerts: {
      newDevice: env.AUTH_ALERT_NEW_DEVICE,
      refreshTokenReused: env.AUTH_ALERT_REFRESH_REUSED,
      credentialChanges: env.AUTH_ALERT_CREDENTIAL_CHANGES,
    },
    throttle: {
      maxFailures: env.AUTH_SIGNIN_MAX_FAILURES,
      maxFailuresPerAccount: env.AUTH_SIGNIN_MAX_FAILURES_PER_ACCOUNT,
      maxPerIp: env.AUTH_SIGNIN_MAX_PER_IP,
      window: env.AUTH_SIGNIN_WINDOW,
      registerMaxPerIp: env.AUTH_REGISTER_MAX_PER_IP,
      registerWindow: env.AUTH_REGISTER_WINDOW,
      ipv6Prefix: env.AUTH_IPV6_PREFIX,
      mfaTokenMaxFailures: env.AUTH_MFA_TOKEN_MAX_FAILURES,
      mfaMaxFailuresPerAccount: env.AUTH_MFA_MAX_FAILURES_PER_ACCOUNT,
    },
    hashing: { concurrency: env.AUTH_HASH_CONCURRENCY, queue: env.AUTH_HASH_QUEUE },
  });
  // The key set is created (or found) now, so a first start fails here rather than on a request.
  const [current] = (await auth.keys.jwks()).keys;
  log(
    current
      ? `auth: signing ${current.alg} tokens with kid ${current.kid}${env.AUTH_PRIVATE_KEY ? " (AUTH_PRIVATE_KEY)" : ""}`
      : `auth: signing ${env.AUTH_TOKEN_ALGORITHM} tokens with AUTH_SECRET (no public keys)`,
  );
  // Upserted, so a restart with the same list changes nothing and a new credential replaces the old.
  for (const { name, credential } of env.AUTH_SECURITY_EVENT_RECEIVERS) await auth.securityEventFeed.receivers.upsert(name, credential);
  if (env.AUTH_SECURITY_EVENT_RECEIVERS.length > 0) {
    log(`auth: security event receivers from AUTH_SECURITY_EVENT_RECEIVERS: ${env.AUTH_SECURITY_EVENT_RECEIVERS.map(({ name }) => name).join(", ")}`);
  }
  if (database.kind !== "pglite" || options.keyAdmin === false) return { auth, database, mailbox };
  const admin = await serveKeyAdmin(auth, env.PGLITE_DATA_DIR);
  return {
    auth,
    mailbox,
    database: {
      ...database,
      async close() {
        await admin.close();
        await database.close();
      },
    },
  };
}
