import { describe, expect, it } from "vitest";
import { parseDuration } from "./duration.ts";

describe("parseDuration", () => {
  it.each([
    [3600, 3600],
    ["3600", 3600],
    ["90s", 90],
    ["15m", 900],
    ["1h", 3600],
    ["30d", 2_592_000],
    [" 10s ", 10],
  ])("parses %j as %i seconds", (input, seconds) => {
    expect(parseDuration(input)).toBe(seconds);
  });

  it.each([["-1"], ["1.5"], ["1w"], ["soon"], [""], [-5], [1.5]])("refuses %j", (input) => {
    expect(parseDuration(input)).toBeNull();
  });
});
