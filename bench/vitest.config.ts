import { defineConfig } from "vitest/config";
import { SOURCE_RESOLVE } from "../vitest.shared.ts";

// One project, not the two-backend pair: the harness itself covers PostgreSQL and PGlite.
export default defineConfig({
  test: { include: ["test/**/*.test.ts"], testTimeout: 60_000 },
  ...SOURCE_RESOLVE,
});
