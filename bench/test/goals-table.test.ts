import { expect, test } from "vitest";
import { formatGoalsTable } from "../src/goals-table.ts";

test("the goals table aligns its columns and says when a goal was not measured", () => {
  const table = formatGoalsTable([
    { what: "a", goal: "≥ 0.85", measured: "0.90×", met: true },
    { what: "bb", goal: "≤ 1 s", measured: "2 s", met: false },
    { what: "c", goal: "≤ 2 s", measured: "failed: no database", met: null },
  ]);
  expect(table.split("\n")).toEqual([
    "| what | goal   | measured            | met?         |",
    "| ---- | ------ | ------------------- | ------------ |",
    "| a    | ≥ 0.85 | 0.90×               | yes          |",
    "| bb   | ≤ 1 s  | 2 s                 | NO           |",
    "| c    | ≤ 2 s  | failed: no database | not measured |",
  ]);
});
