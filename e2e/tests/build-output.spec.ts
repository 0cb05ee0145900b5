import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { expect, test } from "@playwright/test";

// What a clean clone's first build and run leave behind besides the app: no whole-repository
// trace in the server output, no telemetry notice.
const ROOT = join(import.meta.dirname, "..", "..");
const ROUTE_TRACE = join(ROOT, "apps", "web", ".next", "server", "app", "api", "trpc", "[trpc]", "route.js.nft.json");

test.describe("build output", () => {
  test("the API route's server trace lists only bundles and packages, not the repository's source", () => {
    const { files } = JSON.parse(readFileSync(ROUTE_TRACE, "utf8")) as { files: string[] };
    const outside = files
      .map((file) => relative(ROOT, resolve(dirname(ROUTE_TRACE), file)))
      .filter((file) => !file.split(sep).includes("node_modules") && !file.startsWith(join("apps", "web", ".next")));
    // A dynamic path in an fs call once made Turbopack trace everything: apps/web/src, scripts, configs.
    expect(outside).toEqual([]);
  });

  test("a first turbo run, with a fresh home directory, prints no telemetry notice", () => {
    const home = mkdtempSync(join(tmpdir(), "bk-home-"));
    const env: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: home };
    const run = spawnSync("pnpm", ["run", "typecheck", "--filter=@bearer-kit/api", "--dry=json"], { cwd: ROOT, env, encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/collects completely anonymous telemetry/i);
  });
});
