/** One line of the final table; `met` is null when the figure could not be measured. */
export interface GoalRow {
  what: string;
  goal: string;
  measured: string;
  met: boolean | null;
}

function metCell(met: boolean | null): string {
  if (met === null) return "not measured";
  return met ? "yes" : "NO";
}

/** The table `pnpm bench` ends with, as Markdown so it pastes into an issue as is. */
export function formatGoalsTable(rows: readonly GoalRow[]): string {
  const cells = [["what", "goal", "measured", "met?"], ...rows.map((row) => [row.what, row.goal, row.measured, metCell(row.met)])];
  const widths = [0, 1, 2, 3].map((column) => Math.max(...cells.map((line) => line[column]?.length ?? 0)));
  const line = (values: readonly string[]) => `| ${values.map((value, column) => value.padEnd(widths[column] ?? 0)).join(" | ")} |`;
  const [header = [], ...body] = cells;
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...body.map(line)].join("\n");
}

/** `0.85×`; pass 3 digits where a goal's threshold has 2, so a miss never prints as the threshold. */
export const ratio = (value: number, digits = 2): string => `${value.toFixed(digits)}×`;
