import { defineConfig } from "vitest/config";
import { EVENT_WAIT, SOURCE_RESOLVE } from "../../vitest.shared.ts";

// One run on embedded PGlite: what these tests check is the browser side of the session, and
// the API's behaviour on each database is the api package's own suite.
export default defineConfig({
  ...SOURCE_RESOLVE,
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    env: { TEST_BACKEND: "pglite" },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    expect: { poll: EVENT_WAIT },
  },
});
