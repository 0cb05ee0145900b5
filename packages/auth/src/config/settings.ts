/**
 * Every numeric tunable of the core, with its default and its safe range: the one table that
 * `createAuth` options and the `AUTH_*` environment variables are both checked against, so the
 * two can never drift apart (a window of 0 once switched throttling off through options only).
 */
import { parseDuration } from "./duration.ts";

export interface NumericSetting {
  /** The environment variable that sets it. */
  readonly env: string;
  /** Where it sits in `createAuth`'s options, for messages. */
  readonly option: string;
  /** A duration (seconds, or a span like `15m`) or a whole count. */
  readonly kind: "duration" | "count";
  readonly default: number;
  readonly min: number;
  readonly max: number;
}

const DAY = 86_400;

export const SETTINGS = {
  ttl: { env: "AUTH_TOKEN_TTL", option: "ttl", kind: "duration", default: 3600, min: 1, max: DAY },
  // RFC 8725 §3.10 asks for a small skew; beyond minutes it only extends stolen tokens' lives.
  leeway: { env: "AUTH_TOKEN_LEEWAY", option: "leeway", kind: "duration", default: 60, min: 0, max: 300 },
  refreshTtl: { env: "AUTH_REFRESH_TTL", option: "refreshTtl", kind: "duration", default: 30 * DAY, min: 60, max: 400 * DAY },
  refreshIdleTimeout: {
    env: "AUTH_REFRESH_IDLE_TIMEOUT",
    option: "refreshIdleTimeout",
    kind: "duration",
    default: 7 * DAY,
    min: 60,
    max: 400 * DAY,
  },
  // A replayed refresh token within this interval is taken for a retry: a long interval would
  // hand a thief the successor instead of revoking the session, so it is capped at a minute.
  refreshReuseInterval: {
    env: "AUTH_REFRESH_REUSE_INTERVAL",
    option: "refreshReuseInterval",
    kind: "duration",
    default: 10,
    min: 0,
    max: 60,
  },
  // How stale an instance's copy of the key set may be: a rotation or a retirement made by
  // another process takes effect everywhere within this, so it is capped at the 30 s promised.
  keyReloadInterval: {
    env: "AUTH_KEY_RELOAD_INTERVAL",
    option: "keyReloadInterval",
    kind: "duration",
    default: 10,
    min: 1,
    max: 30,
  },
  // A backstop for lost notifications: a cached session is read again at least this often.
  sessionCacheMaxAge: {
    env: "AUTH_SESSION_CACHE_MAX_AGE",
    option: "sessionCacheMaxAge",
    kind: "duration",
    default: 60,
    min: 1,
    max: 300,
  },
  sessionCacheSize: {
    env: "AUTH_SESSION_CACHE_SIZE",
    option: "sessionCacheSize",
    kind: "count",
    default: 10_000,
    min: 1,
    max: 1_000_000,
  },
  // Open session-event streams (SSE) per instance: each holds a socket, a watch and a timer until
  // its token expires. Past it, new streams are refused (SERVER_BUSY), never others' evicted.
  eventStreamsMax: {
    env: "AUTH_EVENT_STREAMS_MAX",
    option: "eventStreamsMax",
    kind: "count",
    default: 10_000,
    min: 1,
    max: 100_000,
  },
  signinWindow: { env: "AUTH_SIGNIN_WINDOW", option: "throttle.window", kind: "duration", default: 900, min: 60, max: DAY },
  signinMaxFailures: { env: "AUTH_SIGNIN_MAX_FAILURES", option: "throttle.maxFailures", kind: "count", default: 5, min: 1, max: 100 },
  signinMaxFailuresPerAccount: {
    env: "AUTH_SIGNIN_MAX_FAILURES_PER_ACCOUNT",
    option: "throttle.maxFailuresPerAccount",
    kind: "count",
    default: 50,
    min: 1,
    max: 10_000,
  },
  // A sign-in's second step dies after this many wrong codes: 5 guesses of 10^6 per token.
  mfaTokenMaxFailures: {
    env: "AUTH_MFA_TOKEN_MAX_FAILURES",
    option: "throttle.mfaTokenMaxFailures",
    kind: "count",
    default: 5,
    min: 1,
    max: 10,
  },
  // Wrong second-factor codes per account per sign-in window, whatever token or session sent
  // them: new mfaTokens buy no more guesses. 10 a window is ~1 in 100,000 odds of a TOTP hit.
  mfaMaxFailuresPerAccount: {
    env: "AUTH_MFA_MAX_FAILURES_PER_ACCOUNT",
    option: "throttle.mfaMaxFailuresPerAccount",
    kind: "count",
    default: 10,
    min: 1,
    max: 1000,
  },
  signinMaxPerIp: { env: "AUTH_SIGNIN_MAX_PER_IP", option: "throttle.maxPerIp", kind: "count", default: 100, min: 1, max: 100_000 },
  registerMaxPerIp: {
    env: "AUTH_REGISTER_MAX_PER_IP",
    option: "throttle.registerMaxPerIp",
    kind: "count",
    default: 20,
    min: 1,
    max: 100_000,
  },
  // One subscriber or rented server holds a whole /64; keyed on less, per-address limits count
  // /64s. Not below /32, a whole provider's allocation: one budget for all its customers.
  ipv6Prefix: { env: "AUTH_IPV6_PREFIX", option: "throttle.ipv6Prefix", kind: "count", default: 64, min: 32, max: 128 },
  registerWindow: {
    env: "AUTH_REGISTER_WINDOW",
    option: "throttle.registerWindow",
    kind: "duration",
    default: 3600,
    min: 60,
    max: DAY,
  },
  // 0 leaves one core to the event loop (cores - 1, at least 1): argon2 on every core starves
  // every other request during a sign-in flood.
  hashConcurrency: {
    env: "AUTH_HASH_CONCURRENCY",
    option: "hashing.concurrency",
    kind: "count",
    default: 0,
    min: 0,
    max: 64,
  },
  // Password checks waiting for a slot; beyond it they answer SERVER_BUSY. Also bounds the wait.
  hashQueue: { env: "AUTH_HASH_QUEUE", option: "hashing.queue", kind: "count", default: 256, min: 0, max: 10_000 },
  // Every successful sign-in opens a session: without a bound, a script signing in in a loop
  // fills the table and the user's sessions list. Past it the least recently used one ends.
  maxSessionsPerUser: {
    env: "AUTH_MAX_SESSIONS_PER_USER",
    option: "maxSessionsPerUser",
    kind: "count",
    default: 100,
    min: 1,
    max: 10_000,
  },
  // A reset link signs its holder in: short-lived, as it sits in a mailbox. At least long enough
  // for slow mail, at most a day (Supabase's ceiling).
  resetTtl: { env: "AUTH_RESET_TTL", option: "resetTtl", kind: "duration", default: 1800, min: 10, max: DAY },
  // The activity log is personal data (addresses, browsers): kept no longer than the user can use
  // it. At least a day, so receivers of the event feed that poll late still find what is queued.
  securityEventsRetention: {
    env: "AUTH_SECURITY_EVENTS_RETENTION",
    option: "securityEventsRetention",
    kind: "duration",
    default: 90 * DAY,
    min: DAY,
    max: 3650 * DAY,
  },
  // How far a DPoP proof's `iat` may be from the server clock (RFC 9449 §11.1): every accepted
  // proof is remembered this long to refuse its replay, so a long window is a bigger table and a
  // longer life for a proof copied before use. At least 10 s for clients with skewed clocks.
  dpopProofWindow: { env: "AUTH_DPOP_PROOF_WINDOW", option: "dpop.proofWindow", kind: "duration", default: 60, min: 10, max: 300 },
} as const satisfies Record<string, NumericSetting>;

const UNITS = [
  [DAY, "day"],
  [3600, "hour"],
  [60, "minute"],
] as const;

/** `300` → `5 minutes (300 seconds)`, `1` → `1 second`. */
function describeSeconds(seconds: number): string {
  const plain = `${seconds} second${seconds === 1 ? "" : "s"}`;
  for (const [size, unit] of UNITS) {
    if (seconds >= size && seconds % size === 0) {
      const count = seconds / size;
      return `${count} ${unit}${count === 1 ? "" : "s"} (${plain})`;
    }
  }
  return plain;
}

function describe(setting: NumericSetting, value: number): string {
  return setting.kind === "duration" ? describeSeconds(value) : String(value);
}

/**
 * Reads one setting's raw value (a number or a string) and checks it against its range.
 * The message names no variable: the environment and the options each prefix their own name.
 *
 * @example readSetting(SETTINGS.leeway, "10m") // { ok: false, message: "must be at most 5 minutes (300 seconds)" }
 */
export function readSetting(
  setting: NumericSetting,
  raw: unknown,
): { ok: true; value: number } | { ok: false; message: string } {
  let value: number | null = null;
  if (setting.kind === "duration" && (typeof raw === "number" || typeof raw === "string")) value = parseDuration(raw);
  if (setting.kind === "count" && typeof raw === "number") value = Number.isSafeInteger(raw) ? raw : null;
  if (setting.kind === "count" && typeof raw === "string" && /^\s*\d+\s*$/.test(raw)) value = Number(raw);
  if (value === null) {
    const shape = setting.kind === "duration" ? 'seconds or a span like "15m" or "1h"' : "a whole number";
    return { ok: false, message: `must be ${shape} (got ${JSON.stringify(raw)})` };
  }
  if (value < setting.min) return { ok: false, message: `must be at least ${describe(setting, setting.min)}` };
  if (value > setting.max) return { ok: false, message: `must be at most ${describe(setting, setting.max)}` };
  return { ok: true, value };
}

/**
 * An option's value (`undefined`: its default), or a `TypeError` naming it after `owner`
 * (`auth: \`ttl\` must be…`, `verifier: \`timeout\` must be…`), with the environment's own message.
 *
 * @example const ttl = optionSetting(SETTINGS.ttl, options.ttl, "auth");
 */
export function optionSetting(spec: NumericSetting, value: unknown, owner: "auth" | "verifier"): number {
  if (value === undefined) return spec.default;
  const read = readSetting(spec, value);
  if (!read.ok) throw new TypeError(`${owner}: \`${spec.option}\` ${read.message}`);
  return read.value;
}
