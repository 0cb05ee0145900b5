import type { AuthDB } from "./database.ts";
import type { Duration } from "./duration.ts";
import { type NumericSetting, readSetting, SETTINGS } from "./settings.ts";

/** HMAC algorithms only: the key is a shared secret. The allowlist is what verification pins. */
export const ALGORITHMS = ["HS256", "HS384", "HS512"] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

// RFC 7518 §3.2: an HMAC key must be at least as long as the hash output.
export const MIN_KEY_BYTES: Readonly<Record<Algorithm, number>> = { HS256: 32, HS384: 48, HS512: 64 };

export interface PasswordParams {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export interface AuthOptions {
  /** The drizzle handle from `createDatabase()`. Run `migrate(db)` before first use. */
  db: AuthDB;
  /** The signing key. For HS* its raw UTF-8 bytes are the HMAC key, as in any JWT library. */
  secret: string;
  /** Default `HS256`. */
  algorithm?: Algorithm;
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
   * Attempt throttling; see the README's security model. Defaults, per `window` (`15m`): 5
   * failed sign-ins per account and address, 50 per account from all addresses, 100 per
   * address; and 20 registrations per address per `registerWindow` (`1h`).
   */
  throttle?: {
    maxFailures?: number;
    maxFailuresPerAccount?: number;
    maxPerIp?: number;
    window?: Duration;
    registerMaxPerIp?: number;
    registerWindow?: Duration;
  };
  /** argon2id cost. Default OWASP: m=19456 KiB, t=2, p=1. */
  passwordParams?: PasswordParams;
  /** The clock; tests pin it. Default `() => new Date()`. */
  now?: () => Date;
}

export interface AuthConfig {
  db: AuthDB;
  secret: Uint8Array;
  algorithm: Algorithm;
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
  };
  passwordParams: PasswordParams;
  now: () => Date;
}

export const OWASP_ARGON2ID: PasswordParams = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** The option's value, its default when unset; refuses it with the environment's own message. */
function setting(spec: NumericSetting, value: Duration | undefined): number {
  if (value === undefined) return spec.default;
  const read = readSetting(spec, value);
  if (!read.ok) throw new TypeError(`auth: \`${spec.option}\` ${read.message}`);
  return read.value;
}

/** Fills defaults and refuses unsafe configuration with a message naming the option. */
export function resolveOptions(options: AuthOptions): AuthConfig {
  const algorithm = options.algorithm ?? "HS256";
  // An allowlist, not a denylist: verification pins this, so `none` or an asymmetric name never gets in.
  if (!ALGORITHMS.includes(algorithm)) {
    throw new TypeError(`auth: \`algorithm\` must be one of ${ALGORITHMS.join(", ")}: the key is a shared secret`);
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
    },
    passwordParams: options.passwordParams ?? OWASP_ARGON2ID,
    now: options.now ?? (() => new Date()),
  };
}
