import type { ConformanceContext } from "./context.ts";

/**
 * One check against a running deployment. `run` resolves when the server conforms and throws
 * an `Error` saying what it answered instead.
 */
export interface ConformanceCase {
  group: string;
  name: string;
  run(ctx: ConformanceContext): Promise<void>;
}

/**
 * Names a group's cases once instead of in every case.
 *
 * @example export const leakCases = defineGroup("leaks", [{ name: "no stack traces", run: async (ctx) => {} }]);
 */
export function defineGroup(group: string, cases: ReadonlyArray<Omit<ConformanceCase, "group">>): ConformanceCase[] {
  return cases.map((c) => ({ group, name: c.name, run: c.run }));
}

/** `group › name`, as the report prints it and `--only` matches it. */
export function caseTitle(c: Pick<ConformanceCase, "group" | "name">): string {
  return `${c.group} › ${c.name}`;
}
