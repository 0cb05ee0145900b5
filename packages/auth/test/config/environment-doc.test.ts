// docs/environment.md is the one reference for every variable the repository reads. This test
// keeps it true both ways: a variable read by code but missing from the tables, or listed but read
// by nothing, fails with its name. Files are found by walking the tree, not by fixed paths, so an
// env.ts that moves (src/env.ts to src/config/env.ts, say) is still checked.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/** The workspace root: the nearest folder above this file holding pnpm-workspace.yaml. */
function workspaceRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "pnpm-workspace.yaml"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("pnpm-workspace.yaml not found above the test file");
    dir = parent;
  }
  return dir;
}

const ROOT = workspaceRoot();
const SKIPPED_DIRS = new Set(["node_modules", "dist", ".next", ".git", ".turbo", ".data", "test-results", "playwright-report"]);
const SOURCE_FILE = /\.(?:ts|tsx|mts|mjs|js|cjs)$/;
// Tests set variables for the processes they start; what they read is what a harness gave them.
const TEST_FILE = /\.(?:test|spec)\.[a-z]+$|(?:^|\/)tests?\//;

/**
 * Read, but not configuration of ours: nobody sets them for bearer-kit.
 * PATH is passed through to child processes; Next.js sets NEXT_RUNTIME to name its runtime.
 */
const NOT_CONFIGURATION = new Set(["PATH", "NEXT_RUNTIME"]);

/** Every source file of the repository, as paths relative to the root with `/` separators. */
function sourceFiles(dir = ROOT): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) files.push(...sourceFiles(join(dir, entry.name)));
    } else if (SOURCE_FILE.test(entry.name)) {
      files.push(relative(ROOT, join(dir, entry.name)).split(sep).join("/"));
    }
  }
  return files;
}

const NAME = "[A-Z][A-Z0-9_]*";

/** The variables one file reads: `process.env.X`, `process.env["X"]`, and through an alias of process.env. */
function directReads(text: string): string[] {
  const names = [
    ...text.matchAll(new RegExp(`process\\.env\\.(${NAME})`, "g")),
    ...text.matchAll(new RegExp(`process\\.env\\[\\s*["'\`](${NAME})["'\`]\\s*\\]`, "g")),
  ].map((match) => match[1]);
  // `const env = process.env;` then `env.PORT` (scripts/start-all.mjs).
  for (const alias of text.matchAll(/\b(?:const|let|var)\s+(\w+)\s*=\s*process\.env\s*;/g)) {
    names.push(...[...text.matchAll(new RegExp(`\\b${alias[1]}\\.(${NAME})`, "g"))].map((match) => match[1]));
  }
  // `const { PORT, HOSTNAME } = process.env;`
  for (const destructured of text.matchAll(/\{([^}]*)\}\s*=\s*process\.env\b/g)) {
    names.push(...[...(destructured[1] ?? "").matchAll(new RegExp(`\\b(${NAME})\\b`, "g"))].map((match) => match[1]));
  }
  return names.filter((name): name is string => name !== undefined);
}

/**
 * The variables an env.ts reads: the upper-case keys of its zod objects, and `source.X` /
 * `env.X` on the record it is given (process.env by default).
 */
function schemaReads(text: string): string[] {
  return [
    ...text.matchAll(new RegExp(`^\\s*(${NAME})\\s*:`, "gm")),
    ...text.matchAll(new RegExp(`\\b(?:source|env)\\.(${NAME})\\b`, "g")),
  ]
    .map((match) => match[1])
    .filter((name): name is string => name !== undefined);
}

/** Variable name → the files that read it. */
function variablesRead(): Map<string, string[]> {
  const reads = new Map<string, string[]>();
  for (const file of sourceFiles()) {
    if (TEST_FILE.test(file)) continue;
    const text = readFileSync(join(ROOT, file), "utf8");
    const isEnvFile = /(?:^|\/)src\/(?:.*\/)?env\.ts$/.test(file);
    for (const name of new Set([...directReads(text), ...(isEnvFile ? schemaReads(text) : [])])) {
      if (NOT_CONFIGURATION.has(name)) continue;
      reads.set(name, [...(reads.get(name) ?? []), file]);
    }
  }
  return reads;
}

/** Every variable named in the first column of a table in docs/environment.md. */
function variablesDocumented(): string[] {
  const text = readFileSync(join(ROOT, "docs/environment.md"), "utf8");
  const names: string[] = [];
  for (const line of text.split("\n")) {
    const firstCell = /^\|([^|]*)\|/.exec(line)?.[1] ?? "";
    for (const match of firstCell.matchAll(new RegExp(`\`(${NAME})\``, "g"))) {
      if (match[1] !== undefined) names.push(match[1]);
    }
  }
  return names;
}

describe("docs/environment.md", () => {
  const read = variablesRead();
  const documented = variablesDocumented();

  it("finds the schemas and the scripts that read the environment", () => {
    // A walk that found nothing would make both directions pass vacuously.
    const envFiles = sourceFiles().filter((file) => /(?:^|\/)src\/(?:.*\/)?env\.ts$/.test(file));
    expect(envFiles.length).toBeGreaterThanOrEqual(4);
    expect(read.get("AUTH_SECRET")).toBeDefined(); // the auth schema
    expect(read.get("NOTES_URL")).toBeDefined(); // the web app's schema and scripts/start-all.mjs
    expect(read.get("NOTES_JWKS_URL")).toBeDefined(); // the notes service's schema
    expect(documented.length).toBeGreaterThan(40);
  });

  it("lists every variable the code reads", () => {
    const undocumented = [...read]
      .filter(([name]) => !documented.includes(name))
      .map(([name, files]) => `${name} (read in ${files.join(", ")})`);
    expect(undocumented, `read by the code but missing from docs/environment.md: ${undocumented.join("; ")}`).toEqual([]);
  });

  it("lists only variables the code reads", () => {
    const unread = documented.filter((name) => !read.has(name));
    expect(unread, `in docs/environment.md but read by no code: ${unread.join(", ")}`).toEqual([]);
  });

  it("lists each variable once", () => {
    const twice = documented.filter((name, index) => documented.indexOf(name) !== index);
    expect(twice, `listed more than once in docs/environment.md: ${twice.join(", ")}`).toEqual([]);
  });
});
