import { createPrivateKey, type JsonWebKey, type KeyObject } from "node:crypto";
import { type Algorithm, ALGORITHMS, isHMAC, type Signer, thumbprint } from "./lib/forge.ts";
import { fetchPublishedKeys, type PublishedKey } from "./lib/published-keys.ts";
import { failedSigninsIn } from "./lib/signin-budget.ts";
import type { SmtpCatcher } from "./lib/smtp-catcher.ts";
import { type ApiResponse, createTRPCHTTP, type TRPCHTTP } from "./lib/trpc-http.ts";

/** What the suite needs to know about the deployment under test. */
export interface ConformanceOptions {
  /** The deployment's origin, e.g. `http://localhost:3000`; the API is at `<url>/api/trpc`. */
  url: string;
  /**
   * The server's AUTH_SECRET. Under HS* it is the signing key, which the claim checks forge
   * with; under any algorithm the cases that sign HS* tokens with it need it. Without it those
   * cases are not run.
   */
  secret?: string;
  /** Default `bearer-kit`. */
  issuer?: string;
  /** Default `bearer-kit`. */
  audience?: string;
  /** The server's clock leeway in seconds. Default 60. */
  leeway?: number;
  /** The server's per-account sign-in failure limit. Default 5. */
  maxFailures?: number;
  /**
   * The server's signing algorithm. Default: read from its JWKS (the first key's); a JWKS with
   * no keys is a shared-secret deployment, taken for HS256 unless this says HS384 or HS512.
   * Given, it must agree with the JWKS.
   */
  algorithm?: Algorithm;
  /**
   * The server's private key (PEM or JWK JSON, its AUTH_PRIVATE_KEY) under ES256, EdDSA or
   * RS256: the cases that forge with the real key need it, and are not run without it. A
   * deployment signing with its database key set cannot give one.
   */
  privateKey?: string;
  /** Sign-in timing samples per kind (unknown email, wrong password). Default 20: with 12, a noisy machine running two servers side by side once put the medians 28% apart. */
  timingSamples?: number;
  /**
   * A local port for the suite's own SMTP server, which the deployment's `SMTP_URL` must point
   * at (`smtp://127.0.0.1:<port>`). The cases that read mailed links run only with it. Default 0: none.
   */
  smtpPort?: number;
  /** The deployment's AUTH_RESET_TTL in seconds; the expiry case runs when it is at most 60. Default 1800. */
  resetTtl?: number;
  /** Run the case that waits an mfaToken's 5-minute lifetime out. Default false. */
  waitMfaTokenExpiry?: boolean;
  /** Run the case that waits a passkey challenge's 5-minute lifetime out. Default false. */
  waitPasskeyChallengeExpiry?: boolean;
}

/**
 * The options with every default filled in, as cases read them: `secret` and `privateKey` are
 * "" when not given, `algorithm` is the deployment's, `kid` the signing key's ("" under HS*),
 * and `publicKey` the signing key's public JWK (`null` under HS*, which publishes none).
 */
export type ResolvedOptions = Required<ConformanceOptions> & { kid: string; publicKey: JsonWebKey | null };

/** Shared by every case of a run: the HTTP client, the real key, and all responses seen. */
export interface ConformanceContext {
  readonly options: ResolvedOptions;
  readonly api: TRPCHTTP;
  /**
   * The server's own key: tokens signed with it isolate the one check a case is about. Only
   * cases that declare `needs: ["signing-key"]` may read it; it throws when the run has none.
   */
  readonly signer: Signer;
  /** Every response of the run so far, in order; the leaks group scans them. */
  readonly responses: readonly ApiResponse[];
  /** Sign-in attempts this run spent from the shared client address (401s and 429s). */
  failedSignins(): number;
  /** Adds a line to the current case's report, e.g. a measured ratio. */
  note(text: string): void;
  /** The notes since the last call; the runner takes them after each case. */
  takeNotes(): string[];
  /** The suite's SMTP server during a run with `smtpPort`; throws without one. */
  mail(): SmtpCatcher;
  /** Set by the runner around a run. */
  useMail(catcher: SmtpCatcher | null): void;
}

function fail(message: string): never {
  throw new Error(message);
}

function readPrivateKey(text: string): KeyObject {
  const trimmed = text.trim();
  try {
    if (trimmed.startsWith("{")) return createPrivateKey({ key: JSON.parse(trimmed) as JsonWebKey, format: "jwk" });
    return createPrivateKey(trimmed);
  } catch {
    throw new Error("--private-key must be a private key as PEM or a JWK in JSON");
  }
}

/**
 * True when the run holds the key the deployment signs with: its secret under HS*, its private
 * key otherwise.
 *
 * @example hasSigningKey(ctx.options) // false against a default (ES256, database keys) deployment
 */
export function hasSigningKey(options: ResolvedOptions): boolean {
  return isHMAC(options.algorithm) ? options.secret !== "" : options.privateKey !== "";
}

/** The deployment's algorithm, signing `kid` and public key, from what it publishes and what was given. */
function signingKeyOf(options: ConformanceOptions, published: PublishedKey[]): Pick<ResolvedOptions, "algorithm" | "kid" | "publicKey"> {
  const given = options.algorithm;
  if (published.length === 0) {
    // HMAC keys are never published: an empty JWKS is a shared-secret deployment.
    if (given !== undefined && !isHMAC(given)) fail(`--algorithm ${given}, but the deployment publishes no keys: it signs with a shared secret (HS*)`);
    if (options.privateKey) fail("--private-key, but the deployment publishes no keys: it signs with a shared secret (HS*)");
    return { algorithm: given ?? "HS256", kid: "", publicKey: null };
  }
  const kid = options.privateKey ? thumbprint(readPrivateKey(options.privateKey)) : published[0]?.kid;
  const key = published.find((candidate) => candidate.kid === kid);
  if (!key) fail(`--private-key is not a key the deployment publishes (its JWKS lists ${published.map((k) => k.kid).join(", ")})`);
  if (given !== undefined && given !== key.algorithm) fail(`--algorithm ${given}, but the deployment signs ${key.algorithm} (its JWKS)`);
  return { algorithm: key.algorithm, kid: key.kid, publicKey: key.jwk };
}

async function resolve(options: ConformanceOptions): Promise<ResolvedOptions> {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new Error(`--url must be an absolute http(s) URL (got "${options.url}")`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`--url must be http or https (got "${options.url}")`);
  if (options.algorithm !== undefined && !ALGORITHMS.includes(options.algorithm)) {
    throw new Error(`--algorithm must be one of ${ALGORITHMS.join(", ")}`);
  }
  const resolved: ResolvedOptions = {
    url: url.origin,
    secret: options.secret ?? "",
    issuer: options.issuer ?? "bearer-kit",
    audience: options.audience ?? "bearer-kit",
    leeway: options.leeway ?? 60,
    maxFailures: options.maxFailures ?? 5,
    privateKey: options.privateKey ?? "",
    ...signingKeyOf(options, await fetchPublishedKeys(url.origin)),
    timingSamples: options.timingSamples ?? 20,
    smtpPort: options.smtpPort ?? 0,
    resetTtl: options.resetTtl ?? 1800,
    waitMfaTokenExpiry: options.waitMfaTokenExpiry ?? false,
    waitPasskeyChallengeExpiry: options.waitPasskeyChallengeExpiry ?? false,
  };
  for (const name of ["leeway", "maxFailures", "timingSamples", "smtpPort", "resetTtl"] as const) {
    const value = resolved[name];
    if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer (got ${value})`);
  }
  return resolved;
}

/** The real key, when the run has it. */
function signerOf(options: ResolvedOptions): Signer | null {
  if (!hasSigningKey(options)) return null;
  const key = isHMAC(options.algorithm) ? new TextEncoder().encode(options.secret) : readPrivateKey(options.privateKey);
  return { key, algorithm: options.algorithm };
}

/**
 * One context per run; pass it to every case, leaks last. Reads the deployment's JWKS first, to
 * learn how it signs; throws when that or an option is wrong.
 *
 * @example
 * const ctx = await createContext({ url: "http://localhost:3000" });
 * for (const c of cases) await c.run(ctx);
 */
export async function createContext(options: ConformanceOptions): Promise<ConformanceContext> {
  const resolved = await resolve(options);
  const signer = signerOf(resolved);
  const responses: ApiResponse[] = [];
  let notes: string[] = [];
  let failed = 0;
  let mail: SmtpCatcher | null = null;
  const api = createTRPCHTTP({
    url: resolved.url,
    onResponse(response) {
      responses.push(response);
      failed += failedSigninsIn(response);
    },
  });
  return {
    options: resolved,
    api,
    get signer() {
      // A case that forges with the real key but does not declare it would fail for want of it.
      return signer ?? fail('this case uses the signing key without declaring needs: ["signing-key"]');
    },
    responses,
    failedSignins: () => failed,
    note: (text) => void notes.push(text),
    takeNotes() {
      const taken = notes;
      notes = [];
      return taken;
    },
    mail: () => mail ?? fail("this case reads mail: run the suite with --smtp-port"),
    useMail(catcher) {
      mail = catcher;
    },
  };
}
