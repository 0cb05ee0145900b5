import { parseArgs } from "node:util";
import type { ConformanceOptions } from "../context.ts";
import { readFileSync } from "node:fs";
import { type Algorithm, ALGORITHMS } from "./forge.ts";

/** Printed for --help and after a usage error. */
export const USAGE = `usage: pnpm conformance --url <origin> [--secret <AUTH_SECRET>]
  [--issuer bearer-kit] [--audience bearer-kit] [--leeway 60] [--max-failures 5]
  [--algorithm <read from the JWKS; HS384|HS512 for such a shared-secret deployment>]
  [--private-key <file with the server's AUTH_PRIVATE_KEY>]
  [--timing-samples 12] [--smtp-port <port the deployment's SMTP_URL names>] [--reset-ttl <its AUTH_RESET_TTL in seconds>]
  [--wait-mfa-token-expiry (a case that waits 5 minutes)] [--wait-passkey-challenge-expiry (another 5 minutes)]
  [--only <substring>]`;

/** What the command line asked for; `help` when it asked for nothing else. */
export type CLIRequest = { kind: "help" } | { kind: "run"; options: ConformanceOptions; only: string | undefined };

/** A command line the suite cannot run with; its message names the flag. */
class UsageError extends Error {
  override readonly name = "UsageError";
}

function integer(name: string, value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 0) throw new UsageError(`--${name} must be a non-negative integer (got "${value}")`);
  return parsed;
}

function isAlgorithm(value: string): value is Algorithm {
  return (ALGORITHMS as readonly string[]).includes(value);
}

/**
 * Reads the command line with `node:util` `parseArgs`; throws `UsageError` for a bad one.
 *
 * @example readArgs(["--url", "http://localhost:3000"]) // { kind: "run", ... }
 */
export function readArgs(args: string[]): CLIRequest {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        url: { type: "string" },
        secret: { type: "string" },
        issuer: { type: "string", default: "bearer-kit" },
        audience: { type: "string", default: "bearer-kit" },
        leeway: { type: "string", default: "60" },
        "max-failures": { type: "string", default: "5" },
        algorithm: { type: "string" },
        "private-key": { type: "string" },
        "timing-samples": { type: "string", default: "12" },
        "smtp-port": { type: "string", default: "0" },
        "reset-ttl": { type: "string", default: "1800" },
        "wait-mfa-token-expiry": { type: "boolean", default: false },
        "wait-passkey-challenge-expiry": { type: "boolean", default: false },
        only: { type: "string" },
        help: { type: "boolean", default: false },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return { kind: "help" };
  if (values.url === undefined) throw new UsageError("--url is required");
  if (values.secret === "") throw new UsageError("--secret must be the server's AUTH_SECRET (leave it out to run without it)");
  const { algorithm } = values;
  if (algorithm !== undefined && !isAlgorithm(algorithm)) throw new UsageError(`--algorithm must be one of ${ALGORITHMS.join(", ")}`);
  const keyFile = values["private-key"];
  let privateKey: string | undefined;
  try {
    // A file, so the key never shows in the process list or the shell history.
    privateKey = keyFile === undefined ? undefined : readFileSync(keyFile, "utf8");
  } catch {
    throw new UsageError(`--private-key: cannot read ${keyFile ?? ""}`);
  }
  return {
    kind: "run",
    only: values.only,
    options: {
      url: values.url,
      // Without a key or secret, the cases that need one are listed as not run.
      ...(values.secret !== undefined && { secret: values.secret }),
      issuer: values.issuer,
      audience: values.audience,
      leeway: integer("leeway", values.leeway),
      maxFailures: integer("max-failures", values["max-failures"]),
      ...(algorithm !== undefined && { algorithm }),
      ...(privateKey !== undefined && { privateKey }),
      timingSamples: integer("timing-samples", values["timing-samples"]),
      smtpPort: integer("smtp-port", values["smtp-port"]),
      resetTtl: integer("reset-ttl", values["reset-ttl"]),
      waitMfaTokenExpiry: values["wait-mfa-token-expiry"],
      waitPasskeyChallengeExpiry: values["wait-passkey-challenge-expiry"],
    },
  };
}
