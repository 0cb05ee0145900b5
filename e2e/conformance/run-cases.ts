/**
 * The conformance suite as a library: the case registry, and a runner the CLI and a
 * Playwright spec share. Cases run one after another against one context; the leaks group
 * runs last, since it scans every response the others collected.
 *
 * @example
 * // Playwright: one test for the whole run. (One test per case also works, in mode "default",
 * // but Playwright restarts the worker after a failure, so the leaks group then scans less.)
 * test("conformance", async () => {
 *   const results = await runConformance({ url: baseURL, secret });
 *   expect(results.filter((r) => !r.ok).map((r) => `${caseTitle(r)}: ${r.message}`)).toEqual([]);
 * });
 */
import { claimCases } from "./cases/claims.ts";
import { forgeryHeaderCases } from "./cases/forgery-header.ts";
import { forgeryTypeCases } from "./cases/forgery-types.ts";
import { forgeryCases } from "./cases/forgery.ts";
import { headerCases } from "./cases/headers.ts";
import { leakCases } from "./cases/leaks.ts";
import { lifecycleCases } from "./cases/lifecycle.ts";
import { registrationInputCases } from "./cases/registration-input.ts";
import { registrationCases } from "./cases/registration.ts";
import { signinPathCases } from "./cases/signin-paths.ts";
import { signinTimingCases } from "./cases/signin-timing.ts";
import { signinCases } from "./cases/signin.ts";
import { tokenShapeCases } from "./cases/token-shapes.ts";
import { caseTitle, type ConformanceCase } from "./conformance-case.ts";
import { type ConformanceContext, type ConformanceOptions, createContext } from "./context.ts";

export { caseTitle, type ConformanceCase } from "./conformance-case.ts";
export { type ConformanceContext, type ConformanceOptions, createContext, type ResolvedOptions } from "./context.ts";

/** Every case, in run order. The leaks group must stay last. */
export const cases: readonly ConformanceCase[] = [
  ...forgeryCases,
  ...forgeryHeaderCases,
  ...forgeryTypeCases,
  ...claimCases,
  ...headerCases,
  ...tokenShapeCases,
  ...lifecycleCases,
  ...registrationCases,
  ...registrationInputCases,
  ...signinCases,
  ...signinPathCases,
  ...signinTimingCases,
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
  const ctx = options.context ?? createContext(options);
  const results: CaseResult[] = [];
  for (const c of selectCases(options.only)) {
    const result = await runCase(ctx, c);
    results.push(result);
    options.onResult?.(result);
  }
  return results;
}
