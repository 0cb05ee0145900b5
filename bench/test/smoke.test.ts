import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, test } from "vitest";

const BENCH_DIR = fileURLToPath(new URL("..", import.meta.url));

// The harness end to end, with rounds too short to mean anything: every section must run and
// the goals table must list each goal. Whether a goal is met is read from a full `pnpm bench`.
test("pnpm bench --smoke runs every section and prints every goal", async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ["--conditions=@bearer-kit/source", "--import", "tsx", "src/main.ts", "--smoke"], {
    cwd: BENCH_DIR,
    timeout: 170_000,
    maxBuffer: 10_000_000,
  });
  expect(stdout).not.toContain("failed:");
  for (const what of [
    "checkBearerToken, warm",
    "protected / public, cached, PostgreSQL",
    "protected / public, cached, PGlite",
    "protected / public, strict, PostgreSQL",
    "p99 of protected calls during a sign-in flood",
    "revocation seen by another instance",
    "revocation on the web app → first 401 from a verifier in another process",
    "DPoP-bound protected call / bearer (auth.me, PostgreSQL, 64 connections)",
    "embedded first start",
    "embedded restart",
  ]) {
    expect(stdout).toMatch(new RegExp(`^\\| ${what.replace(/[()]/g, "\\$&")}`, "m"));
  }
}, 180_000);
