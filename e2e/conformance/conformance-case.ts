import type { ConformanceContext } from "./context.ts";

/**
 * One check against a running deployment. `run` resolves when the server conforms and throws
 * an `Error` saying what it answered instead.
 */
export interface ConformanceCase {
  group: string;
  name: string;
  /** What the run must provide for this case; without it the case is listed as not run. */
  needs?: readonly CaseNeed[];
  run(ctx: ConformanceContext): Promise<void>;
}

/**
 * `mail`: the suite's SMTP server (`smtpPort`), which the deployment sends to.
 * `short-reset-ttl`: a deployment whose reset links die within a minute (`resetTtl` ≤ 60), so
 * the expiry case can wait them out.
 * `signing-key`: the key the deployment signs with (`secret` under HS*, `privateKey` otherwise),
 * for cases that forge with it: only then does a refusal prove the one check under test.
 * `secret`: the server's AUTH_SECRET itself, whatever the algorithm (HS* tokens signed with it).
 * `mfa-token-expiry`: leave to wait an mfaToken's 5 minutes out (`waitMfaTokenExpiry`): the suite
 * cannot move a deployment's clock.
 * `passkey-challenge-expiry`: leave to wait a passkey challenge's 5 minutes out (`waitPasskeyChallengeExpiry`).
 */
export type CaseNeed = "mail" | "short-reset-ttl" | "signing-key" | "secret" | "mfa-token-expiry" | "passkey-challenge-expiry";

/**
 * How a report names what a case needs, and how to provide it.
 *
 * @example describeNeed("signing-key", "ES256") // "the signing key (--private-key ...)"
 */
export function describeNeed(need: CaseNeed, algorithm: string): string {
  switch (need) {
    case "mail":
      return "mail (--smtp-port, which the deployment's SMTP_URL must name)";
    case "short-reset-ttl":
      return "reset links that expire within 60 s (--reset-ttl, the deployment's AUTH_RESET_TTL)";
    case "signing-key":
      return algorithm.startsWith("HS")
        ? "the signing key (--secret, the deployment's AUTH_SECRET)"
        : `the signing key (--private-key, the deployment's ${algorithm} AUTH_PRIVATE_KEY; a database key set cannot give one)`;
    case "secret":
      return "the server secret (--secret, the deployment's AUTH_SECRET)";
    case "mfa-token-expiry":
      return "a 5-minute wait for an mfaToken to expire (--wait-mfa-token-expiry)";
    case "passkey-challenge-expiry":
      return "a 5-minute wait for a passkey challenge to expire (--wait-passkey-challenge-expiry)";
  }
}

/**
 * Names a group's cases once instead of in every case.
 *
 * @example export const leakCases = defineGroup("leaks", [{ name: "no stack traces", run: async (ctx) => {} }]);
 */
export function defineGroup(group: string, cases: ReadonlyArray<Omit<ConformanceCase, "group">>): ConformanceCase[] {
  return cases.map((c) => ({ group, name: c.name, ...(c.needs && { needs: c.needs }), run: c.run }));
}

/** `group › name`, as the report prints it and `--only` matches it. */
export function caseTitle(c: Pick<ConformanceCase, "group" | "name">): string {
  return `${c.group} › ${c.name}`;
}
