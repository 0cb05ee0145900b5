/**
 * Tables owned by @bearer-kit/auth.
 *
 * Design:
 * - `users.email` holds the canonical address (trimmed, lower-cased, NFC) under a unique
 *   index, so concurrent registrations in different letter cases yield exactly one row.
 * - One `sessions` row per sign-in. Access tokens carry its id (`sid`); revoking the row
 *   revokes every token of that session at once, so revocation never depends on token strings.
 * - `refresh_tokens` stores only SHA-256 hashes. The partial unique index allows at most one
 *   live (un-rotated) refresh token per session, enforced by the database itself.
 * - `throttles` keeps fixed-window counters in the database so limits hold across instances.
 *   Keys are HMACs of the email and address (see throttling/throttle-keys.ts), never the values themselves.
 * - `signing_keys` is the access-token key set (ES256, EdDSA, RS256): each key's public JWK, its
 *   private key encrypted with AES-256-GCM (see keys/key-encryption.ts) and its state. Partial
 *   unique indexes allow one `current` and one `next` key at most, whatever instances race.
 * - `email_tokens` holds the links mailed for password reset, email verification and email
 *   change: only the SHA-256 of each token (a database leak must not hand out working links),
 *   its purpose, and when it expires or was used. Single use is one conditional UPDATE.
 * - `users.credential_version` is the account's one security state. Every credential change
 *   raises it in its own transaction; a session or mailed link issued under an older version
 *   no longer works, whichever flow issued it and whatever raced it.
 * - `passkeys` holds each WebAuthn credential's public key, counter and backup state; the
 *   challenges of passkey ceremonies live in `webauthn_challenges`, stored by hash and used once.
 * - `security_events` is the account's activity log (written in the transaction of the change it
 *   records); receivers of the Security Event Token feed and what each has not acknowledged yet
 *   live in `security_event_receivers` and `security_event_deliveries`.
 * - Every table lives in the `bearer_kit` schema, so a host app's own `users` never collides
 *   with ours, and drizzle-kit (whose default `schemaFilter` is `["public"]`) leaves them alone.
 */
import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, jsonb, pgSchema, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

/** The PostgreSQL schema that holds every table of the package. */
export const AUTH_SCHEMA = "bearer_kit";
export const bearerKit = pgSchema(AUTH_SCHEMA);

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const users = bearerKit.table(
  "users",
  {
    id: uuid("id").primaryKey(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    /** When the owner proved the address (a verify or reset link, or a confirmed email change); null until then. */
    emailVerifiedAt: timestamptz("email_verified_at"),
    /**
     * The account's security state: raised in the transaction of every credential change
     * (password, email, sign out everywhere). Sessions and mailed links carry the version they
     * were issued under and die with it.
     */
    credentialVersion: integer("credential_version").notNull().default(1),
    createdAt: timestamptz("created_at").notNull(),
    updatedAt: timestamptz("updated_at").notNull(),
  },
  (table) => [uniqueIndex("users_email_key").on(table.email)],
);

export const sessions = bearerKit.table(
  "sessions",
  {
    id: uuid("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestamptz("created_at").notNull(),
    lastUsedAt: timestamptz("last_used_at").notNull(),
    expiresAt: timestamptz("expires_at").notNull(),
    idleExpiresAt: timestamptz("idle_expires_at").notNull(),
    revokedAt: timestamptz("revoked_at"),
    revokedReason: text("revoked_reason"),
    userAgent: text("user_agent"),
    ipAddress: text("ip_address"),
    /** The user's `credential_version` when the session opened: a session of an older one is ended. */
    credentialVersion: integer("credential_version").notNull().default(1),
    /**
     * RFC 8176 methods the sign-in proved (`{pwd}`, `{pwd,otp,mfa}`, `{pwd,mfa}`); access tokens
     * carry it as `amr`. Set when the session opens and never changed: a refresh keeps it.
     */
    amr: text("amr").array().$type<string[]>().notNull().default(sql`'{pwd}'::text[]`),
    /**
     * RFC 7638 thumbprint of the DPoP key the session is bound to (RFC 9449), or null for a
     * bearer session. Set when the session opens and never changed: every refresh needs that key.
     */
    dpopJkt: text("dpop_jkt"),
  },
  (table) => [index("sessions_user_id_idx").on(table.userId)],
);

export const refreshTokens = bearerKit.table(
  "refresh_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    sessionId: uuid("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    createdAt: timestamptz("created_at").notNull(),
    rotatedAt: timestamptz("rotated_at"),
  },
  (table) => [
    uniqueIndex("refresh_tokens_one_live_per_session").on(table.sessionId).where(sql`${table.rotatedAt} is null`),
  ],
);

/** What an email token is for; a token is accepted only for its own purpose. */
/** `not_me`: the "This wasn't me" link of a new-device alert (recovery/unrecognized-signin.ts). */
export type EmailTokenPurpose = "password_reset" | "verify_email" | "change_email" | "not_me";

export const emailTokens = bearerKit.table(
  "email_tokens",
  {
    id: uuid("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose").$type<EmailTokenPurpose>().notNull(),
    /** SHA-256 of the token, base64url. The token itself is only ever in the mail. */
    tokenHash: text("token_hash").notNull(),
    /** The address a `change_email` token moves the account to. */
    newEmail: text("new_email"),
    createdAt: timestamptz("created_at").notNull(),
    expiresAt: timestamptz("expires_at").notNull(),
    /** Set when used, or when a newer token of the same purpose superseded it. */
    usedAt: timestamptz("used_at"),
    /** The user's `credential_version` when the link was mailed: a credential change since voids it. */
    credentialVersion: integer("credential_version").notNull().default(1),
  },
  (table) => [
    uniqueIndex("email_tokens_token_hash_key").on(table.tokenHash),
    index("email_tokens_user_id_purpose_idx").on(table.userId, table.purpose),
  ],
);

export const throttles = bearerKit.table("throttles", {
  key: text("key").primaryKey(),
  /** Failures (sign-in) or attempts (registration) counted in the current window. */
  failures: integer("failures").notNull(),
  /** Sign-in attempts admitted and not yet settled; they hold budget until they do. */
  pending: integer("pending").notNull().default(0),
  windowEndsAt: timestamptz("window_ends_at").notNull(),
});

/** The JWK fields a public key is published with; private members never reach this column. */
export interface PublicJWK {
  kty: string;
  crv?: string;
  x?: string;
  y?: string;
  n?: string;
  e?: string;
}

export const signingKeys = bearerKit.table(
  "signing_keys",
  {
    /** RFC 7638 thumbprint of the public key: the `kid` of every token it signs. */
    kid: text("kid").primaryKey(),
    alg: text("alg").notNull(),
    /** `next`, `current`, `previous` or `retired`; see keys/key-set.ts. */
    state: text("state").notNull(),
    publicJwk: jsonb("public_jwk").$type<PublicJWK>().notNull(),
    /** AES-256-GCM ciphertext of the private JWK, `v1.<iv>.<ciphertext+tag>` in base64url. */
    encryptedPrivateKey: text("encrypted_private_key").notNull(),
    createdAt: timestamptz("created_at").notNull(),
    /** When it started signing. */
    activatedAt: timestamptz("activated_at"),
    /** When it stopped signing: it verifies until this + TTL + leeway. */
    deactivatedAt: timestamptz("deactivated_at"),
    retiredAt: timestamptz("retired_at"),
  },
  (table) => [
    uniqueIndex("signing_keys_one_current").on(table.state).where(sql`${table.state} = 'current'`),
    uniqueIndex("signing_keys_one_next").on(table.state).where(sql`${table.state} = 'next'`),
  ],
);

/** One TOTP authenticator per user: pending from `totpSetup` until a code confirms it, then on. */
export const totpFactors = bearerKit.table("totp_factors", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  /** The base32 secret sealed with AES-256-GCM, the user id as associated data (second-factors/secret-box.ts). */
  encryptedSecret: text("encrypted_secret").notNull(),
  /** When a code confirmed it; `null` while pending, when it counts for nothing. */
  enabledAt: timestamptz("enabled_at"),
  /** The time step of the last code accepted: a code of this step or an earlier one is a replay. */
  lastUsedStep: integer("last_used_step"),
  createdAt: timestamptz("created_at").notNull(),
});

export const recoveryCodes = bearerKit.table(
  "recovery_codes",
  {
    id: uuid("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** HMAC-SHA256 of the normalized code under a key derived from the secret (second-factors/recovery-codes.ts). */
    codeHash: text("code_hash").notNull(),
    createdAt: timestamptz("created_at").notNull(),
    /** Set when the code was used: each works once. */
    usedAt: timestamptz("used_at"),
  },
  (table) => [uniqueIndex("recovery_codes_user_id_code_hash_key").on(table.userId, table.codeHash)],
);

export const mfaChallenges = bearerKit.table(
  "mfa_challenges",
  {
    id: uuid("id").primaryKey(),
    /** SHA-256 of the `mfaToken`; the token itself is only ever in the answer to the sign-in. */
    tokenHash: text("token_hash").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The user's `credential_version` when the password was checked: a credential change since voids it. */
    credentialVersion: integer("credential_version").notNull(),
    /** The client address it was issued to; only the same one may answer it. */
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    createdAt: timestamptz("created_at").notNull(),
    expiresAt: timestamptz("expires_at").notNull(),
    /** Wrong codes so far; at the limit the token is dead. */
    failures: integer("failures").notNull().default(0),
    usedAt: timestamptz("used_at"),
  },
  (table) => [uniqueIndex("mfa_challenges_token_hash_key").on(table.tokenHash), index("mfa_challenges_user_id_idx").on(table.userId)],
);

export const passkeys = bearerKit.table(
  "passkeys",
  {
    /** The WebAuthn credential id, base64url: what an assertion names. */
    id: text("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The COSE public key, base64url. Public: a leak of it signs nothing. */
    publicKey: text("public_key").notNull(),
    /** The authenticator's signature counter as last seen; one going backwards betrays a clone. */
    counter: bigint("counter", { mode: "number" }).notNull().default(0),
    transports: text("transports").array().notNull().default(sql`'{}'::text[]`),
    /** Backup eligible: a synced (multi-device) passkey, whose private key lives in a sync fabric. */
    backupEligible: boolean("backup_eligible").notNull(),
    backedUp: boolean("backed_up").notNull(),
    name: text("name").notNull(),
    createdAt: timestamptz("created_at").notNull(),
    lastUsedAt: timestamptz("last_used_at"),
  },
  (table) => [index("passkeys_user_id_idx").on(table.userId)],
);

export const webauthnChallenges = bearerKit.table(
  "webauthn_challenges",
  {
    id: uuid("id").primaryKey(),
    /** SHA-256 of the challenge: looked up by what the client signed. */
    challengeHash: text("challenge_hash").notNull(),
    /** The one ceremony it may answer: a passkey sign-in, a second step, a confirmation or a registration. */
    purpose: text("purpose").$type<"signin" | "second_step" | "confirm" | "register">().notNull(),
    /** The user it is bound to; `null` for a usernameless sign-in. */
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    /** The user's `credential_version` when issued (bound ceremonies): a credential change since voids it. */
    credentialVersion: integer("credential_version"),
    /** For a second step: the `mfa_challenges` row it belongs to. */
    mfaChallengeId: uuid("mfa_challenge_id").references(() => mfaChallenges.id, { onDelete: "cascade" }),
    createdAt: timestamptz("created_at").notNull(),
    expiresAt: timestamptz("expires_at").notNull(),
    usedAt: timestamptz("used_at"),
  },
  (table) => [uniqueIndex("webauthn_challenges_challenge_hash_key").on(table.challengeHash), index("webauthn_challenges_expires_at_idx").on(table.expiresAt)],
);

/** The security events a user can see and a receiver can hear (see security-events/). */
export type SecurityEventType =
  | "signin"
  | "signin_throttled"
  | "session_revoked"
  | "refresh_token_reused"
  | "password_changed"
  | "password_reset"
  | "email_changed"
  | "second_factor_changed"
  | "passkey_counter_regressed"
  | "account_deleted";

export const securityEvents = bearerKit.table(
  "security_events",
  {
    id: uuid("id").primaryKey(),
    /** No foreign key: `account_deleted` outlives the user row (with nothing personal in it). */
    userId: uuid("user_id").notNull(),
    sessionId: uuid("session_id"),
    type: text("type").$type<SecurityEventType>().notNull(),
    createdAt: timestamptz("created_at").notNull(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    detail: jsonb("detail").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  },
  (table) => [index("security_events_user_id_created_at_idx").on(table.userId, table.createdAt), index("security_events_created_at_idx").on(table.createdAt)],
);

/** The services that poll the Security Event Token feed (RFC 8936), each with its own credential. */
export const securityEventReceivers = bearerKit.table(
  "security_event_receivers",
  {
    id: uuid("id").primaryKey(),
    name: text("name").notNull(),
    /** SHA-256 of the receiver's credential (256 random bits): a dump holds none that works. */
    credentialHash: text("credential_hash").notNull(),
    createdAt: timestamptz("created_at").notNull(),
  },
  (table) => [uniqueIndex("security_event_receivers_name_key").on(table.name), uniqueIndex("security_event_receivers_credential_hash_key").on(table.credentialHash)],
);

/** One row per event a receiver has not acknowledged yet: what its next poll returns. */
export const securityEventDeliveries = bearerKit.table(
  "security_event_deliveries",
  {
    receiverId: uuid("receiver_id")
      .notNull()
      .references(() => securityEventReceivers.id, { onDelete: "cascade" }),
    eventId: uuid("event_id")
      .notNull()
      .references(() => securityEvents.id, { onDelete: "cascade" }),
    createdAt: timestamptz("created_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.receiverId, table.eventId] }), index("security_event_deliveries_receiver_created_idx").on(table.receiverId, table.createdAt)],
);

/**
 * DPoP proofs already accepted (RFC 9449 §11.1): a `(jkt, jti)` pair is inserted once, so a
 * replayed proof finds its row, on every instance sharing the database. A row can go once its
 * proof's `iat` is outside the window (`expires_at`): such a proof is refused for its age anyway.
 */
export const dpopProofs = bearerKit.table(
  "dpop_proofs",
  {
    jkt: text("jkt").notNull(),
    jti: text("jti").notNull(),
    expiresAt: timestamptz("expires_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.jkt, table.jti] }), index("dpop_proofs_expires_at_idx").on(table.expiresAt)],
);
