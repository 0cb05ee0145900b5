// Turbo hashes the variables turbo.json lists into each build's cache key. Listing a variable a
// build never reads (AUTH_SECRET, PORT, DATABASE_URL...) made every `npm start` with a new
// secret or port rebuild the web app (~20 s) for an identical result. Only build inputs belong
// there; runtime variables reach the processes anyway ("envMode": "loose" passes them through).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { authEnvSchema } from "@bearer-kit/auth/env";
import { describe, expect, it } from "vitest";

interface TurboTask {
  env?: string[];
  passThroughEnv?: string[];
}
interface TurboConfig {
  envMode?: string;
  globalEnv?: string[];
  tasks: Record<string, TurboTask>;
}

const ROOT = join(import.meta.dirname, "..", "..", "..");
const turbo = JSON.parse(readFileSync(join(ROOT, "turbo.json"), "utf8")) as TurboConfig;

/**
 * What the built apps read when they run, not when they build: the auth schema (which holds
 * PORT and APP_URL), the web app's own (apps/web/src/env.ts) and the notes service's.
 */
const RUNTIME = new Set([
  ...Object.keys(authEnvSchema.in.shape),
  "HOSTNAME",
  "AUTH_COOKIE_SECURE",
  "NOTES_URL",
  "NOTES_PORT",
  "NOTES_DATABASE_URL",
  "NOTES_PGLITE_DATA_DIR",
  "NOTES_JWKS_URL",
  "NOTES_ALLOWED_ORIGIN",
]);

/** Runtime variables that a build reads too, and where turbo.json hashes each. */
const BUILD_INPUTS: Record<string, string> = {
  // Next.js and the bundlers compile for it (`next build` under NODE_ENV=development differs).
  NODE_ENV: "globalEnv",
  // scripts/embedded-template.ts, run by the web app's build, writes the PGlite template there.
  PGLITE_TEMPLATE_DIR: "@bearer-kit/web#build",
};

/** The runtime variables `names` lists that `place` has no reason to hash. */
const misplaced = (names: string[] | undefined, place: string) => (names ?? []).filter((name) => RUNTIME.has(name) && BUILD_INPUTS[name] !== place);

describe("turbo.json environment", () => {
  it("hashes no runtime-only variable into every task", () => {
    expect(RUNTIME.has("AUTH_SECRET") && RUNTIME.has("PORT") && RUNTIME.has("DATABASE_URL")).toBe(true);
    expect(misplaced(turbo.globalEnv, "globalEnv")).toEqual([]);
  });

  it("lets a task hash a runtime variable only where that task's build reads it", () => {
    for (const [task, definition] of Object.entries(turbo.tasks)) expect(misplaced(definition.env, task), task).toEqual([]);
  });

  it("passes every variable through to the tasks, so tests and servers still get theirs", () => {
    expect(turbo.envMode).toBe("loose");
  });
});
