import type { Duration } from "../config/duration.ts";
import { type NumericSetting, optionSetting } from "../config/settings.ts";

/**
 * `createVerifier`'s `revocations` option: the issuer's security-event feed (RFC 8936 poll
 * delivery of RFC 8417 SETs), so revoked sessions and changed credentials are refused here too.
 *
 * @example
 * revocations: { url: "https://app.example.com/api/security-events/poll", credential: secrets.notesReceiverCredential }
 */
export interface RevocationOptions {
  /** The feed's poll endpoint, e.g. `https://app.example.com/api/security-events/poll`. */
  url: string | URL;
  /** This receiver's credential (`pnpm receivers add <name>` prints it), sent as a bearer token. */
  credential: string;
  /** When given, a SET's `aud` must be this receiver name. */
  receiver?: string;
  /**
   * With no successful poll for this long (or none yet), `verify` fails with
   * `REVOCATION_UNAVAILABLE` rather than accept a token whose revocation it may have missed.
   * Default 60 s; at least 30 s, as the feed holds a poll open for up to 25 s.
   */
  maxStaleness?: Duration;
  /** Accept tokens while the feed is stale instead of failing closed. Default `false`. */
  failOpen?: boolean;
  /** The issuer's longest access-token lifetime (its `AUTH_TOKEN_TTL`, at most 1 day): how long a revocation is kept. Default 1 day. */
  maxTokenLifetime?: Duration;
  /** Revoked sessions and users kept at most; past it the soonest to expire goes. Default 100,000. */
  maxEntries?: number;
  /** The fetch to poll with; default the global one. */
  fetch?: typeof fetch;
  /** Hears what the poller could not do (feed unreachable, a SET ignored); default `console.warn`. */
  onWarning?: (message: string) => void;
}

export interface RevocationConfig {
  url: URL;
  credential: string;
  receiver: string | undefined;
  /** Seconds. */
  maxStaleness: number;
  failOpen: boolean;
  /** Seconds. */
  maxTokenLifetime: number;
  maxEntries: number;
  fetch: typeof fetch;
  onWarning: (message: string) => void;
}

const DAY = 86_400;

/** The revocation feed's tunables, checked like the core's own settings. */
export const REVOCATION_SETTINGS = {
  // Under 30 s a healthy feed, which answers an idle poll after 25 s, would read as stale.
  maxStaleness: { env: "", option: "revocations.maxStaleness", kind: "duration", default: 60, min: 30, max: DAY },
  maxTokenLifetime: { env: "", option: "revocations.maxTokenLifetime", kind: "duration", default: DAY, min: 1, max: DAY },
  maxEntries: { env: "", option: "revocations.maxEntries", kind: "count", default: 100_000, min: 1, max: 10_000_000 },
} as const satisfies Record<string, NumericSetting>;

const setting = (spec: NumericSetting, value: unknown): number => optionSetting(spec, value, "verifier");

function pollURL(value: string | URL): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`verifier: \`revocations.url\` must be an absolute URL (got ${JSON.stringify(String(value))})`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new TypeError("verifier: `revocations.url` must be http(s)");
  return url;
}

/** Fills defaults and refuses misconfiguration with a `TypeError` naming the option (never quoting the credential). */
export function resolveRevocationOptions(options: RevocationOptions): RevocationConfig {
  if (typeof options.credential !== "string" || options.credential.trim() === "") {
    throw new TypeError("verifier: `revocations.credential` must be a non-empty string");
  }
  if (options.receiver !== undefined && (typeof options.receiver !== "string" || options.receiver === "")) {
    throw new TypeError("verifier: `revocations.receiver` must be a non-empty string when given");
  }
  if (options.fetch !== undefined && typeof options.fetch !== "function") throw new TypeError("verifier: `revocations.fetch` must be a function");
  return {
    url: pollURL(options.url),
    credential: options.credential,
    receiver: options.receiver,
    maxStaleness: setting(REVOCATION_SETTINGS.maxStaleness, options.maxStaleness),
    failOpen: options.failOpen === true,
    maxTokenLifetime: setting(REVOCATION_SETTINGS.maxTokenLifetime, options.maxTokenLifetime),
    maxEntries: setting(REVOCATION_SETTINGS.maxEntries, options.maxEntries),
    // Called through the global, not detached from it: a browser's fetch refuses another `this`.
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    onWarning: options.onWarning ?? ((message) => console.warn(`bearer-kit verifier: ${message}`)),
  };
}
