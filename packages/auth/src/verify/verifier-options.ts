import type { JSONWebKeySet } from "jose";
import type { Duration } from "../config/duration.ts";
import { type NumericSetting, optionSetting, SETTINGS } from "../config/settings.ts";
import { isVerifyAlgorithm, VERIFY_ALGORITHMS, type VerifyAlgorithm } from "./algorithms.ts";
import { type DPoPVerifierConfig, type DPoPVerifierOptions, resolveDPoPVerifierOptions } from "./dpop-options.ts";
import { type RevocationConfig, type RevocationOptions, resolveRevocationOptions } from "./revocation-options.ts";

interface CommonOptions {
  /** Required `iss` claim, e.g. `"bearer-kit"` (the issuer's `AUTH_ISSUER`). */
  issuer: string;
  /** Required `aud` claim (the issuer's `AUTH_AUDIENCE`). */
  audience: string;
  /** Clock skew tolerated on `exp`, `nbf` and `iat`. Default 60 s, at most 5 minutes. */
  leeway?: Duration;
  /** A subset of `ES256`, `EdDSA`, `RS256`. Default: all three. */
  algorithms?: readonly VerifyAlgorithm[];
  /** Refetch the JWKS once it is this old. Default 300 s, the JWKS response's own max-age. */
  cacheMaxAge?: Duration;
  /** After a fetch, an unknown `kid` waits this long before it may trigger another. Default 30 s. */
  cooldown?: Duration;
  /** Give up on a JWKS fetch after this long. Default 5 s. */
  timeout?: Duration;
  /** The clock for `exp`, `nbf`, `iat` and the feed's staleness; tests pin it. */
  now?: () => Date;
  /**
   * The issuer's security-event feed: with it, tokens of revoked sessions and tokens older than
   * their user's credential change are refused, and `verify` fails closed while the feed is stale.
   */
  revocations?: RevocationOptions;
  /** How proofs sent with DPoP-bound tokens are checked: window, replay store size, nonces. */
  dpop?: DPoPVerifierOptions;
}

/** `createVerifier` options: the issuer's JWKS URL, or a key set held in hand. */
export type VerifierOptions =
  | (CommonOptions & { jwksUrl: string | URL; jwks?: undefined })
  | (CommonOptions & { jwks: JSONWebKeySet; jwksUrl?: undefined });

export interface VerifierConfig {
  source: { kind: "remote"; url: URL } | { kind: "local"; jwks: JSONWebKeySet };
  issuer: string;
  audience: string;
  /** Seconds. */
  leeway: number;
  algorithms: readonly VerifyAlgorithm[];
  /** Milliseconds, as jose takes them. */
  cacheMaxAge: number;
  cooldown: number;
  timeout: number;
  now: () => Date;
  revocations: RevocationConfig | null;
  dpop: DPoPVerifierConfig;
}

const HOUR = 3600;

/**
 * The verifier's own tunables. No variable reads them: the host service maps its environment
 * onto the options. A cooldown of at least a second keeps a stream of forged `kid`s from turning
 * the verifier into a JWKS request flood against the issuer.
 */
export const VERIFIER_SETTINGS = {
  leeway: SETTINGS.leeway,
  cacheMaxAge: { env: "", option: "cacheMaxAge", kind: "duration", default: 300, min: 1, max: 24 * HOUR },
  cooldown: { env: "", option: "cooldown", kind: "duration", default: 30, min: 1, max: HOUR },
  timeout: { env: "", option: "timeout", kind: "duration", default: 5, min: 1, max: 60 },
} as const satisfies Record<string, NumericSetting>;

const setting = (spec: NumericSetting, value: unknown): number => optionSetting(spec, value, "verifier");

function source(options: VerifierOptions): VerifierConfig["source"] {
  if (options.jwks !== undefined) {
    if (options.jwksUrl !== undefined) throw new TypeError("verifier: pass `jwksUrl` or `jwks`, not both");
    return { kind: "local", jwks: options.jwks };
  }
  let url: URL;
  try {
    url = new URL(options.jwksUrl);
  } catch {
    throw new TypeError(`verifier: \`jwksUrl\` must be an absolute URL (got ${JSON.stringify(String(options.jwksUrl))})`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new TypeError("verifier: `jwksUrl` must be http(s)");
  return { kind: "remote", url };
}

function algorithms(list: readonly VerifyAlgorithm[] | undefined): readonly VerifyAlgorithm[] {
  if (list === undefined) return VERIFY_ALGORITHMS;
  // An allowlist checked at run time too: a JavaScript caller could pass "HS256" or "none".
  if (list.length === 0 || !list.every(isVerifyAlgorithm)) {
    throw new TypeError(`verifier: \`algorithms\` must be a non-empty subset of ${VERIFY_ALGORITHMS.join(", ")}`);
  }
  return [...new Set(list)];
}

function required(name: string, value: unknown): string {
  if (typeof value !== "string" || value === "") throw new TypeError(`verifier: \`${name}\` must be a non-empty string`);
  return value;
}

/** Fills defaults and refuses misconfiguration with a `TypeError` naming the option. */
export function resolveVerifierOptions(options: VerifierOptions): VerifierConfig {
  return {
    source: source(options),
    issuer: required("issuer", options.issuer),
    audience: required("audience", options.audience),
    leeway: setting(VERIFIER_SETTINGS.leeway, options.leeway),
    algorithms: algorithms(options.algorithms),
    cacheMaxAge: setting(VERIFIER_SETTINGS.cacheMaxAge, options.cacheMaxAge) * 1000,
    cooldown: setting(VERIFIER_SETTINGS.cooldown, options.cooldown) * 1000,
    timeout: setting(VERIFIER_SETTINGS.timeout, options.timeout) * 1000,
    now: options.now ?? (() => new Date()),
    revocations: options.revocations === undefined ? null : resolveRevocationOptions(options.revocations),
    dpop: resolveDPoPVerifierOptions(options.dpop),
  };
}
