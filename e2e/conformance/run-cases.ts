/**
 * The conformance suite as a library: the case registry, and a runner the CLI and a
 * Playwright spec share. Cases run one after another against one context; the leaks group
 * runs last, since it scans every response the others collected.
 *
 * @example
 * // Playwright: one test for the whole run. (One test per case also works, in mode "default",
 * // but Playwright restarts the worker after a failure, so the leaks group then scans less.)
 * test("conformance", async () => {
 *   const results = await runConformance({ url: baseURL, secret }); // the algorithm is read from the JWKS
 *   expect(results.filter((r) => !r.ok).map((r) => `${caseTitle(r)}: ${r.message}`)).toEqual([]);
 * });
 */
import { claimCases } from "./cases/claims.ts";
import { dpopCases } from "./cases/dpop.ts";
import { forgeryHeaderCases } from "./cases/forgery-header.ts";
import { forgeryTypeCases } from "./cases/forgery-types.ts";
import { forgeryCases } from "./cases/forgery.ts";
import { headerCases } from "./cases/headers.ts";
import { emailVerificationCases } from "./cases/email-verification.ts";
import { leakCases } from "./cases/leaks.ts";
import { passkeyCases } from "./cases/passkeys.ts";
import { passwordResetCases } from "./cases/password-reset.ts";
import { lifecycleCases } from "./cases/lifecycle.ts";
import { registrationInputCases } from "./cases/registration-input.ts";
import { registrationCases } from "./cases/registration.ts";
import { signinPathCases } from "./cases/signin-paths.ts";
import { signinTimingCases } from "./cases/signin-timing.ts";
import { signinCases } from "./cases/signin.ts";
import { tokenShapeCases } from "./cases/token-shapes.ts";
import { twoStepBypassCases } from "./cases/two-step-bypass.ts";
import { twoStepTokenCases } from "./cases/two-step-token.ts";
import { twoStepCases } from "./cases/two-step.ts";
import { type CaseNeed, caseTitle, type ConformanceCase } from "./conformance-case.ts";
import { type ConformanceContext, type ConformanceOptions, createContext, hasSigningKey, type ResolvedOptions } from "./context.ts";
import { requestTargetCases } from "./cases/request-targets.ts";
import { startSmtpCatcher } from "./lib/smtp-catcher.ts";

export { type CaseNeed, caseTitle, type ConformanceCase } from "./conformance-case.ts";
export { type ConformanceContext, type ConformanceOptions, createContext, type ResolvedOptions } from "./context.ts";

/** Every case, in run order. The leaks group must stay last. */
export const cases: readonly ConformanceCase[] = [
  ...forgeryCases,
  ...forgeryHeaderCases,
  ...forgeryTypeCases,
  ...claimCases,
  ...headerCases,
  ...tokenShapeCases,
  ...requestTargetCases,
  ...lifecycleCases,
  ...registrationCases,
  ...registrationInputCases,
  ...signinCases,
  ...signinPathCases,
  ...signinTimingCases,
  ...passwordResetCases,
  ...emailVerificationCases,
  ...twoStepCases,
  ...twoStepTokenCases,
  ...twoStepBypassCases,
  ...passkeyCases,
  ...dpopCases,
  ...leakCases,
];

/** How one case went, as the CLI prints it. */
export interface CaseResult {
  group: string;
  name: string;
  ok: boolean;
  /** Why the case failed; `null` when it passed. */
  message: string | null;
  /** What the case reported besides pass or fail, e.g. a measured ratio. */
  notes: string[];
  ms: number;
}

/** `runConformance` options: the deployment, plus what to run and how to report it. */
export interface RunOptions extends ConformanceOptions {
  /** Only cases whose "group › name" contains this (case-insensitive). */
  only?: string;
  /** Called as each case finishes, for streaming output. */
  onResult?: (result: CaseResult) => void;
  /** A context from `createContext`, to read its responses and counters afterwards. Default: a new one. */
  context?: ConformanceContext;
  /** Called for each selected case the run cannot provide for (see `ConformanceCase.needs`). */
  onNotRun?: (c: ConformanceCase, needs: CaseNeed[]) => void;
}

/** Whether a run with `options` provides `need`. */
function provides(options: ResolvedOptions, need: CaseNeed): boolean {
  switch (need) {
    case "mail":
      return options.smtpPort !== 0;
    case "short-reset-ttl":
      return options.resetTtl <= 60;
    case "signing-key":
      return hasSigningKey(options);
    case "secret":
      return options.secret !== "";
    case "mfa-token-expiry":
      return options.waitMfaTokenExpiry;
    case "passkey-challenge-expiry":
      return options.waitPasskeyChallengeExpiry;
  }
}

/**
 * What `c` needs that a run with `options` lacks; empty when it can run.
 *
 * @example unmetNeeds(c, ctx.options) // ["mail"] without --smtp-port
 */
export function unmetNeeds(c: ConformanceCase, options: ResolvedOptions): CaseNeed[] {
  return (c.needs ?? []).filter((need) => !provides(options, need));
}

/**
 * The cases `only` selects, in run order.
 *
 * @example selectCases("forgery › alg").length
 */
export function selectCases(only?: string): ConformanceCase[] {
  const needle = only?.toLowerCase();
  return cases.filter((c) => needle === undefined || caseTitle(c).toLowerCase().includes(needle));
}

/**
 * Runs one case against `ctx` and reports it; never throws.
 *
 * @example const result = await runCase(ctx, cases[0]);
 */
export async function runCase(ctx: ConformanceContext, c: ConformanceCase): Promise<CaseResult> {
  ctx.takeNotes();
  const started = performance.now();
  let message: string | null = null;
  try {
    await c.run(ctx);
  } catch (error) {
    message = error instanceof Error ? error.message : String(error);
    // fetch hides the real network error (ECONNREFUSED, ...) in `cause`.
    if (error instanceof Error && error.cause instanceof Error) message += ` (${error.cause.message})`;
  }
  return { group: c.group, name: c.name, ok: message === null, message, notes: ctx.takeNotes(), ms: performance.now() - started };
}

/**
 * Runs the selected cases in order over real HTTP against a running deployment.
 *
 * @example await runConformance({ url, secret, only: "lifecycle", onResult: (r) => console.log(r.name) });
 */
export async function runConformance(options: RunOptions): Promise<CaseResult[]> {
  const ctx = options.context ?? (await createContext(options));
  const results: CaseResult[] = [];
  const selected = selectCases(options.only).filter((c) => {
    const unmet = unmetNeeds(c, ctx.options);
    if (unmet.length > 0) options.onNotRun?.(c, unmet);
    return unmet.length === 0;
  });
  // The SMTP server the deployment sends to, for the run's length only.
  const needsMail = selected.some((c) => c.needs?.includes("mail"));
  const catcher = needsMail ? await startSmtpCatcher({ port: ctx.options.smtpPort }) : null;
  ctx.useMail(catcher);
  try {
    for (const c of selected) {
      const result = await runCase(ctx, c);
      results.push(result);
      options.onResult?.(result);
    }
  } finally {
    ctx.useMail(null);
    await catcher?.close();
  }
  return results;
}
