// Adding a package entry is one line in package.json `exports`; the build derives the rest and
// refuses an export whose paths do not follow the pattern.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { libraryEntries } from "../../../tsdown.shared.ts";

const manifest = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, "../..", name, "package.json"), "utf8"));

describe("libraryEntries", () => {
  it("builds one entry per export of each package", () => {
    expect(libraryEntries(manifest("auth"))).toEqual({
      index: "./src/index.ts",
      client: "./src/client.ts",
      "database/open-embedded-database": "./src/database/open-embedded-database.ts",
      "config/env": "./src/config/env.ts",
      "verify/index": "./src/verify/index.ts",
      "testing/index": "./src/testing/index.ts",
    });
    expect(libraryEntries(manifest("api"))).toEqual({ index: "./src/index.ts" });
    expect(libraryEntries(manifest("react"))).toEqual({ index: "./src/index.ts", client: "./src/client.ts" });
  });

  it("takes a new entry from its one export line", () => {
    const verify = { "@bearer-kit/source": "./src/verify/index.ts", types: "./dist/verify/index.d.ts", import: "./dist/verify/index.js" };
    expect(libraryEntries({ exports: { "./verify": verify } })).toEqual({ "verify/index": "./src/verify/index.ts" });
  });

  it("refuses an export without the source condition, or whose dist paths do not match its source", () => {
    expect(() => libraryEntries({ exports: { "./package.json": "./package.json" } })).not.toThrow();
    expect(() => libraryEntries({ exports: { "./verify": "./src/verify/index.ts" } })).toThrow(/must be/);
    expect(() => libraryEntries({ exports: { "./verify": { import: "./dist/verify.js" } } })).toThrow(/no "@bearer-kit\/source" condition/);
    const drifted = { "@bearer-kit/source": "./src/verify/index.ts", types: "./dist/verify.d.ts", import: "./dist/verify.js" };
    expect(() => libraryEntries({ exports: { "./verify": drifted } })).toThrow(/must be/);
  });
});
