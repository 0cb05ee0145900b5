import type { AuthDB } from "../database/auth-db.ts";
import type { Duration } from "./duration.ts";
import type { Mailer } from "../mail/mailer.ts";
import { type RelyingParty, type RelyingPartyOptions, resolveRelyingParty } from "./relying-party.ts";
import { ALGORITHMS, type Algorithm, DEFAULT_ALGORITHM, MIN_KEY_BYTES } from "./algorithms.ts";
import { privateKeyProblem } from "./private-key.ts";
import { type NumericSetting, optionSetting, SETTINGS } from "./settings.ts";

export interface PasswordParams {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export interface AuthOptions {
  /** The drizzle handle from `createDatabase()`. Run `migrate(db)` before first use. */
  db: AuthDB;
  /**
   * The server secret. For HS* its raw UTF-8 bytes are the HMAC key, as in any JWT library.
   * Always, keys derived from it protect refresh-token successors, throttle counters and the
   * key set's private keys at rest.
   */
  secret: string;
  /** Default `ES256`: a key set in the database, published as a JWKS. `HS*` signs with `secret`. */
  algorithm?: Algorithm;
  /**
   * An externally managed private key (PKCS#8 PEM or a JWK as JSON) of `algorithm`'s type.
   * It signs every token and is the only key published; the database key set is not used.
   */
  privateKey?: string | undefined;
  /** How long an instance may use its copy of the key set before reloading it. Default `10s`, at most `30s`. */
  keyReloadInterval?: Duration;
  /** Access-token lifetime. Default `1h`. */
  ttl?: Duration;
  /** Clock skew tolerated on `exp`, `nbf` and `iat`. Default `60s`, at most `5m`. */
  leeway?: Duration;
  /** `iss` claim. Default `bearer-kit`. */
  issuer?: string;
  /** `aud` claim. Default `bearer-kit`. */
  audience?: string;
  /** Absolute session (refresh-token) lifetime. Default `30d`. */
  refreshTtl?: Duration;
  /** A session not refreshed for this long ends. Default `7d`. */
  refreshIdleTimeout?: Duration;
  /** A retried refresh within this interval gets the same successor. Default `10s`. */
  refreshReuseInterval?: Duration;
  /**
   * Attempt throttling; see docs/security.md (Throttling). Defaults, per `window` (`15m`): 5
   * failed sign-ins per account and address, 50 per account from all addresses, 100 per
   * address; 10 wrong second-factor codes per account; and 20 registrations per address per
   * `registerWindow` (`1h`). An IPv6 "address" is its `/ipv6Prefix` network.
   */
  throttle?: {
    maxFailures?: number;
    maxFailuresPerAccount?: number;
    maxPerIp?: number;
    window?: Duration;
    registerMaxPerIp?: number;
    registerWindow?: Duration;
    /**
     * IPv6 clients are counted per network of this many leading bits (default 64, 32 to 128):
     * every per-address limit keys on the prefix, as one subscriber holds a whole /64.
     * IPv4-mapped addresses (`::ffff:192.0.2.1`) count as their IPv4 address.
     */
    ipv6Prefix?: number;
    /** Wrong codes an `mfaToken` survives (default 5, 1 to 10). */
    mfaTokenMaxFailures?: number;
    /** Wrong second-factor codes per account per `window` (default 10), from sign-ins and sensitive changes alike. */
    mfaMaxFailuresPerAccount?: number;
  };
  /** argon2id cost. Default OWASP: m=19456 KiB, t=2, p=1. */
  passwordParams?: PasswordParams;
  /**
   * Bounds concurrent password hashing so a sign-in flood cannot take every core: `concurrency`
   * hashes at once (default `0`: one fewer than the cores, at least 1), up to `queue` (default 256)
   * waiting; beyond that a password check throws `SERVER_BUSY` with `retryAfter`.
   */
  hashing?: { concurrency?: number; queue?: number };
  /**
   * `"on"` (default, or `true`): verified tokens and live sessions are kept in memory, and
   * revocations reach them through the database's notifications (see
   * docs/session-cache.md). `"off"` (or `false`): strict, every check reads the database.
   */
  sessionCache?: "on" | "off" | boolean;
  /** How long a cached session may be used without reading the database again. Default `60s`, at most `5m`. */
  sessionCacheMaxAge?: Duration;
  /** At most this many verified tokens, and as many sessions, are cached. Default 10000. */
  sessionCacheSize?: number;
  /**
   * Live sessions per user. A sign-in beyond it ends the least recently used one (reason
   * `session_limit`, pushed like any revocation). Default 100.
   */
  maxSessionsPerUser?: number;
  /**
   * At most this many `sessionEvents` watches (the API's event streams) open on this instance;
   * beyond it `watch` throws `SERVER_BUSY`. Default 10000, at most 100000.
   */
  eventStreamsMax?: number;
  /** Called for failures off the request path (a batched `last_used_at` write, say). Default `console.warn`. */
  onWarning?: (message: string, error: unknown) => void;
  /** The clock; tests pin it. Default `() => new Date()`. */
  now?: () => Date;
  /**
   * Sends verification, reset and email-change mail (`createSmtpMailer`, `createDevMailbox`).
   * Without one, those flows refuse nothing but mail goes nowhere, with a warning per message.
   */
  mailer?: Mailer;
  /** Where the app's pages live: links are `${appUrl}/reset-password#token=…`. Default `http://localhost:3000`. */
  appUrl?: string;
  /** Password-reset link lifetime. Default `30m`, between `5m` and `1d`. */
  resetTtl?: Duration;
  /**
   * Refuse sign-in (`EMAIL_NOT_VERIFIED`) until the address is verified; `register` then issues
   * no tokens and no longer tells whether an address has an account. Default `false`.
   */
  requireEmailVerification?: boolean;
  /**
   * Passkeys' relying party: `rpId` (default `appUrl`'s host), `origins` (default `[appUrl's
   * origin]`), `rpName` (default `bearer-kit`). Values that do not fit throw here.
   */
  webauthn?: RelyingPartyOptions;
  /** How long security events (the activity log) are kept; `prune()` deletes older ones. Default `90d`. */
  securityEventsRetention?: Duration;
  /**
   * Which security alerts are mailed to the owner (see docs/security-events.md), each on by
   * default: a sign-in from a new device (with a "This wasn't me" link), a reused refresh token
   * (the session was ended), and password changes and resets (email and second-factor changes
   * are always mailed).
   */
  alerts?: { newDevice?: boolean; refreshTokenReused?: boolean; credentialChanges?: boolean };
  /**
   * DPoP (RFC 9449, docs/dpop.md): `mode` `"optional"` (default: a client that sends a proof
   * gets key-bound tokens, one that does not keeps bearer tokens), `"required"` (sign-ins and
   * refreshes without a proof are refused, `DPOP_REQUIRED`) or `"off"`. `proofWindow`: how far a
   * proof's `iat` may be from the clock (default `60s`, `10s` to `5m`). `nonce`: proofs must
   * carry a server nonce (`DPoP-Nonce`), default false.
   */
  dpop?: { mode?: DPoPMode; proofWindow?: Duration; nonce?: boolean };
}

/** Whether DPoP proofs are ignored, accepted (binding the tokens) or required. */
export type DPoPMode = "off" | "optional" | "required";

export interface AuthConfig {
  db: AuthDB;
  secret: Uint8Array;
  algorithm: Algorithm;
  privateKey: string | undefined;
  keyReloadInterval: number;
  ttl: number;
  leeway: number;
  issuer: string;
  audience: string;
  refreshTtl: number;
  refreshIdleTimeout: number;
  refreshReuseInterval: number;
  throttle: {
    maxFailures: number;
    maxFailuresPerAccount: number;
    maxPerIp: number;
    window: number;
    registerMaxPerIp: number;
    registerWindow: number;
    ipv6Prefix: number;
    mfaTokenMaxFailures: number;
    mfaMaxFailuresPerAccount: number;
  };
  passwordParams: PasswordParams;
  hashing: { concurrency: number; queue: number };
  sessionCache: "on" | "off";
  sessionCacheMaxAge: number;
  sessionCacheSize: number;
  maxSessionsPerUser: number;
  eventStreamsMax: number;
  onWarning: (message: string, error: unknown) => void;
  now: () => Date;
  mailer: Mailer | null;
  appUrl: string;
  resetTtl: number;
  requireEmailVerification: boolean;
  /** `null`: passkeys are off (an `appUrl` on an IP address or plain http, nothing configured). */
  relyingParty: RelyingParty | null;
  securityEventsRetention: number;
  alerts: { newDevice: boolean; refreshTokenReused: boolean; credentialChanges: boolean };
  dpop: { mode: DPoPMode; proofWindow: number; nonce: boolean };
}

export const OWASP_ARGON2ID: PasswordParams = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

const setting = (spec: NumericSetting, value: unknown): number => optionSetting(spec, value, "auth");

const warn = (message: string, error: unknown): void => console.warn(message, error);

function sessionCacheMode(value: AuthOptions["sessionCache"]): "on" | "off" {
  if (value === undefined || value === true || value === "on") return "on";
  if (value === false || value === "off") return "off";
  throw new TypeError('auth: `sessionCache` must be "on", "off", true or false');
}

/** The app's origin and base path, without a trailing slash; links are built under it. */
function appUrl(value: string | undefined): string {
  const url = URL.parse(value ?? "http://localhost:3000");
  // Links go into mail: only web URLs, never `javascript:` or a path a client would resolve anywhere.
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || url.search || url.hash) {
    throw new TypeError("auth: `appUrl` must be an http(s) URL without query or fragment");
  }
  return url.href.replace(/\/+$/, "");
}

function dpopMode(value: unknown): DPoPMode {
  if (value === undefined) return "optional";
  if (value === "off" || value === "optional" || value === "required") return value;
  throw new TypeError('auth: `dpop.mode` must be "off", "optional" or "required"');
}

/** Fills defaults and refuses unsafe configuration with a message naming the option. */
export function resolveOptions(options: AuthOptions): AuthConfig {
  const algorithm = options.algorithm ?? DEFAULT_ALGORITHM;
  // An allowlist, not a denylist: verification pins each key's algorithm, so `none` never gets in.
  if (!ALGORITHMS.includes(algorithm)) {
    throw new TypeError(`auth: \`algorithm\` must be one of ${ALGORITHMS.join(", ")}`);
  }
  if (options.privateKey !== undefined) {
    const problem = privateKeyProblem(options.privateKey, algorithm);
    if (problem) throw new TypeError(`auth: \`privateKey\` ${problem}`);
  }
  const secret = new TextEncoder().encode(options.secret);
  if (secret.byteLength < MIN_KEY_BYTES[algorithm]) {
    throw new TypeError(`auth: \`secret\` must be at least ${MIN_KEY_BYTES[algorithm]} bytes for ${algorithm}`);
  }
  const throttle = options.throttle ?? {};
  return {
    db: options.db,
    secret,
    algorithm,
    privateKey: options.privateKey,
    keyReloadInterval: setting(SETTINGS.keyReloadInterval, options.keyReloadInterval),
    ttl: setting(SETTINGS.ttl, options.ttl),
    leeway: setting(SETTINGS.leeway, options.leeway),
    issuer: options.issuer ?? "bearer-kit",
    audience: options.audience ?? "bearer-kit",
    refreshTtl: setting(SETTINGS.refreshTtl, options.refreshTtl),
    refreshIdleTimeout: setting(SETTINGS.refreshIdleTimeout, options.refreshIdleTimeout),
    refreshReuseInterval: setting(SETTINGS.refreshReuseInterval, options.refreshReuseInterval),
    throttle: {
      maxFailures: setting(SETTINGS.signinMaxFailures, throttle.maxFailures),
      maxFailuresPerAccount: setting(SETTINGS.signinMaxFailuresPerAccount, throttle.maxFailuresPerAccount),
      maxPerIp: setting(SETTINGS.signinMaxPerIp, throttle.maxPerIp),
      window: setting(SETTINGS.signinWindow, throttle.window),
      registerMaxPerIp: setting(SETTINGS.registerMaxPerIp, throttle.registerMaxPerIp),
      registerWindow: setting(SETTINGS.registerWindow, throttle.registerWindow),
      ipv6Prefix: setting(SETTINGS.ipv6Prefix, throttle.ipv6Prefix),
      mfaTokenMaxFailures: setting(SETTINGS.mfaTokenMaxFailures, throttle.mfaTokenMaxFailures),
      mfaMaxFailuresPerAccount: setting(SETTINGS.mfaMaxFailuresPerAccount, throttle.mfaMaxFailuresPerAccount),
    },
    passwordParams: options.passwordParams ?? OWASP_ARGON2ID,
    hashing: {
      concurrency: setting(SETTINGS.hashConcurrency, options.hashing?.concurrency),
      queue: setting(SETTINGS.hashQueue, options.hashing?.queue),
    },
    sessionCache: sessionCacheMode(options.sessionCache),
    sessionCacheMaxAge: setting(SETTINGS.sessionCacheMaxAge, options.sessionCacheMaxAge),
    sessionCacheSize: setting(SETTINGS.sessionCacheSize, options.sessionCacheSize),
    maxSessionsPerUser: setting(SETTINGS.maxSessionsPerUser, options.maxSessionsPerUser),
    eventStreamsMax: setting(SETTINGS.eventStreamsMax, options.eventStreamsMax),
    onWarning: options.onWarning ?? warn,
    now: options.now ?? (() => new Date()),
    mailer: options.mailer ?? null,
    appUrl: appUrl(options.appUrl),
    relyingParty: resolveRelyingParty(appUrl(options.appUrl), options.webauthn),
    resetTtl: setting(SETTINGS.resetTtl, options.resetTtl),
    requireEmailVerification: options.requireEmailVerification ?? false,
    securityEventsRetention: setting(SETTINGS.securityEventsRetention, options.securityEventsRetention),
    // Safe defaults: an owner who is told nothing cannot react to a takeover.
    alerts: {
      newDevice: options.alerts?.newDevice ?? true,
      refreshTokenReused: options.alerts?.refreshTokenReused ?? true,
      credentialChanges: options.alerts?.credentialChanges ?? true,
    },
    dpop: {
      mode: dpopMode(options.dpop?.mode),
      proofWindow: setting(SETTINGS.dpopProofWindow, options.dpop?.proofWindow),
      nonce: options.dpop?.nonce ?? false,
    },
  };
}
