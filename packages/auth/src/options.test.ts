import { describe, expect, it } from "vitest";
import type { AuthDB } from "./database.ts";
import { resolveOptions } from "./options.ts";

const db = {} as AuthDB;

describe("resolveOptions", () => {
  it("defaults to HS256, a 1 hour ttl and a 60 s leeway", () => {
    expect(resolveOptions({ db, secret: "k".repeat(32) })).toMatchObject({ algorithm: "HS256", ttl: 3600, leeway: 60 });
  });

  it.each([
    [{ secret: "" }, "`secret` must be at least 32 bytes"],
    [{ secret: "k".repeat(31) }, "`secret` must be at least 32 bytes"],
    [{ secret: "k".repeat(32), algorithm: "HS512" as const }, "at least 64 bytes for HS512"],
    [{ secret: "k".repeat(32), algorithm: "none" as never }, "`algorithm` must be one of"],
    [{ secret: "k".repeat(32), leeway: "6m" }, "`leeway` must be at most 5 minutes"],
    [{ secret: "k".repeat(32), ttl: "1w" }, "`ttl` must be seconds"],
  ])("refuses %j", (options, message) => {
    expect(() => resolveOptions({ db, ...options })).toThrow(message);
  });
});
