import type { AuthDB } from "./database.ts";
import { type Duration, parseDuration } from "./duration.ts";

/** HMAC algorithms only: the key is a shared secret. The allowlist is what verification pins. */
export const ALGORITHMS = ["HS256", "HS384", "HS512"] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

// RFC 7518 §3.2: an HMAC key must be at least as long as the hash output.
const MIN_KEY_BYTES: Record<Algorithm, number> = { HS256: 32, HS384: 48, HS512: 64 };
const MAX_LEEWAY_SECONDS = 300;

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
  /** Sign-in throttling. Defaults: 5 failures per account, 100 per address, per `15m`. */
  throttle?: { maxFailures?: number; maxPerIp?: number; window?: Duration };
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
  throttle: { maxFailures: number; maxPerIp: number; window: number };
  passwordParams: PasswordParams;
  now: () => Date;
}

export const OWASP_ARGON2ID: PasswordParams = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

function seconds(name: string, value: Duration | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = parseDuration(value);
  if (parsed === null) throw new TypeError(`auth: \`${name}\` must be seconds or a span like "15m" (got ${JSON.stringify(value)})`);
  return parsed;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new TypeError(`auth: \`${name}\` must be a positive integer`);
  return value;
}

/** Fills defaults and refuses unsafe configuration with a message naming the option. */
export function resolveOptions(options: AuthOptions): AuthConfig {
  const algorithm = options.algorithm ?? "HS256";
  if (!ALGORITHMS.includes(algorithm)) {
    throw new TypeError(`auth: \`algorithm\` must be one of ${ALGORITHMS.join(", ")}: the key is a shared secret`);
  }
  const secret = new TextEncoder().encode(options.secret);
  if (secret.byteLength < MIN_KEY_BYTES[algorithm]) {
    throw new TypeError(`auth: \`secret\` must be at least ${MIN_KEY_BYTES[algorithm]} bytes for ${algorithm}`);
  }
  const leeway = seconds("leeway", options.leeway, 60);
  if (leeway > MAX_LEEWAY_SECONDS) throw new TypeError("auth: `leeway` must be at most 5 minutes");
  const ttl = seconds("ttl", options.ttl, 3600);
  if (ttl < 1) throw new TypeError("auth: `ttl` must be at least 1 second");
  return {
    db: options.db,
    secret,
    algorithm,
    ttl,
    leeway,
    issuer: options.issuer ?? "bearer-kit",
    audience: options.audience ?? "bearer-kit",
    refreshTtl: seconds("refreshTtl", options.refreshTtl, 30 * 86_400),
    refreshIdleTimeout: seconds("refreshIdleTimeout", options.refreshIdleTimeout, 7 * 86_400),
    refreshReuseInterval: seconds("refreshReuseInterval", options.refreshReuseInterval, 10),
    throttle: {
      maxFailures: positive("throttle.maxFailures", options.throttle?.maxFailures, 5),
      maxPerIp: positive("throttle.maxPerIp", options.throttle?.maxPerIp, 100),
      window: seconds("throttle.window", options.throttle?.window, 900),
    },
    passwordParams: options.passwordParams ?? OWASP_ARGON2ID,
    now: options.now ?? (() => new Date()),
  };
}
