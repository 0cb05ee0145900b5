import { createPrivateKey, type JsonWebKey, type KeyObject } from "node:crypto";
import { type Algorithm, ALGORITHMS, isHMAC, type Signer, thumbprint } from "./lib/forge.ts";
import { failedSigninsIn } from "./lib/signin-budget.ts";
import type { SmtpCatcher } from "./lib/smtp-catcher.ts";
import { type ApiResponse, createTRPCHTTP, type TRPCHTTP } from "./lib/trpc-http.ts";

/** What the suite needs to know about the deployment under test. */
export interface ConformanceOptions {
  /** The deployment's origin, e.g. `http://localhost:3000`; the API is at `<url>/api/trpc`. */
  url: string;
  /** The server's AUTH_SECRET: the suite signs tokens with it to prove claim checks. */
  secret: string;
  /** Default `bearer-kit`. */
  issuer?: string;
  /** Default `bearer-kit`. */
  audience?: string;
  /** The server's clock leeway in seconds. Default 60. */
  leeway?: number;
  /** The server's per-account sign-in failure limit. Default 5. */
  maxFailures?: number;
  /** The server's signing algorithm. Default `HS256`. */
  algorithm?: Algorithm;
  /** The server's private key (PEM or JWK JSON, its AUTH_PRIVATE_KEY): required with ES256, EdDSA or RS256. */
  privateKey?: string;
  /** Sign-in timing samples per kind (unknown email, wrong password). Default 12. */
  timingSamples?: number;
  /**
   * A local port for the suite's own SMTP server, which the deployment's `SMTP_URL` must point
   * at (`smtp://127.0.0.1:<port>`). The cases that read mailed links run only with it. Default 0: none.
   */
  smtpPort?: number;
  /** The deployment's AUTH_RESET_TTL in seconds; the expiry case runs when it is at most 60. Default 1800. */
  resetTtl?: number;
}

/** The options with every default filled in, as cases read them; `kid` is "" under HS*. */
export type ResolvedOptions = Required<ConformanceOptions> & { kid: string };

/** Shared by every case of a run: the HTTP client, the real key, and all responses seen. */
export interface ConformanceContext {
  readonly options: ResolvedOptions;
  readonly api: TRPCHTTP;
  /** The server's own key: tokens signed with it isolate the one check a case is about. */
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

function resolve(options: ConformanceOptions): ResolvedOptions {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new Error(`--url must be an absolute http(s) URL (got "${options.url}")`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`--url must be http or https (got "${options.url}")`);
  if (options.secret === "") throw new Error("--secret must be the server's AUTH_SECRET");
  const algorithm = options.algorithm ?? "HS256";
  if (!ALGORITHMS.includes(algorithm)) throw new Error(`--algorithm must be one of ${ALGORITHMS.join(", ")}`);
  const privateKey = options.privateKey ?? "";
  if (!isHMAC(algorithm) && privateKey === "") throw new Error(`--private-key is required with ${algorithm} (the server's AUTH_PRIVATE_KEY)`);
  const resolved: ResolvedOptions = {
    url: url.origin,
    secret: options.secret,
    issuer: options.issuer ?? "bearer-kit",
    audience: options.audience ?? "bearer-kit",
    leeway: options.leeway ?? 60,
    maxFailures: options.maxFailures ?? 5,
    algorithm,
    privateKey,
    kid: isHMAC(algorithm) ? "" : thumbprint(readPrivateKey(privateKey)),
    timingSamples: options.timingSamples ?? 12,
    smtpPort: options.smtpPort ?? 0,
    resetTtl: options.resetTtl ?? 1800,
  };
  for (const name of ["leeway", "maxFailures", "timingSamples", "smtpPort", "resetTtl"] as const) {
    const value = resolved[name];
    if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer (got ${value})`);
  }
  return resolved;
}

/**
 * One context per run; pass it to every case, leaks last.
 *
 * @example
 * const ctx = createContext({ url: "http://localhost:3000", secret: process.env.AUTH_SECRET });
 * for (const c of cases) await c.run(ctx);
 */
export function createContext(options: ConformanceOptions): ConformanceContext {
  const resolved = resolve(options);
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
    signer: {
      key: isHMAC(resolved.algorithm) ? new TextEncoder().encode(resolved.secret) : readPrivateKey(resolved.privateKey),
      algorithm: resolved.algorithm,
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
