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
 */
export type CaseNeed = "mail" | "short-reset-ttl";

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
