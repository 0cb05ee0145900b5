import { defineConfig } from "vitest/config";
import { SOURCE_RESOLVE } from "../../vitest.shared.ts";

// One run, not one per backend: the fixtures choose their database (embedded PGlite, or the
// real PostgreSQL behind a fault proxy) inside the installed copy.
export default defineConfig({
  ...SOURCE_RESOLVE,
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    // Packing builds both packages and npm installs their dependencies: minutes on a cold cache.
    hookTimeout: 600_000,
  },
});
