import { describe, expect, it } from "vitest";
import { useApi } from "./fixture.ts";

const t = useApi();
const START = new Date("2026-01-01T00:00:00Z");

describe("the fixture's pinned clock", () => {
  it.fails("may be moved by a test that then fails", () => {
    t.clock.advance(86_400);
    throw new Error("failed after moving the clock");
  });

  it("is back at its start for the next test", () => {
    expect(t.clock.now()).toEqual(START);
    t.clock.set(new Date("2030-01-01T00:00:00Z"));
  });

  it("is back at its start after a test that set it and passed", () => {
    expect(t.clock.now()).toEqual(START);
  });
});
