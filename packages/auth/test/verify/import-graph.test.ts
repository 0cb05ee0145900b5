import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// `@bearer-kit/auth/verify` must run where there is no Node (edge runtimes, workers) and must not
// drag a database driver or argon2 into a service that only checks tokens. This walks its
// static import graph and fails on anything else: a parse of the source, so it needs no build.

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "../../src");
const ENTRY = join(SRC, "verify/index.ts");

/** The only modules of ours the entry may reach: pure TypeScript, no I/O. */
const ALLOWED_FILES = [/^verify\/[a-z-]+\.ts$/, /^errors\.ts$/, /^error-codes\.ts$/, /^config\/duration\.ts$/, /^config\/settings\.ts$/];
const FORBIDDEN = /^node:|^(fs|path|crypto|http|https|net|os|stream|child_process|worker_threads)$|drizzle|postgres|pglite|argon2/;

const SPECIFIERS = [
  /\bimport\s+(?:type\s+)?[^'"]*?\bfrom\s*["']([^"']+)["']/g,
  /\bexport\s+(?:type\s+)?[^'"]*?\bfrom\s*["']([^"']+)["']/g,
  /\bimport\s*["']([^"']+)["']/g,
  /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
  /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g,
];

/** Every module specifier a source file names, in import/export/require form. */
function specifiersOf(file: string): string[] {
  const source = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, "");
  return SPECIFIERS.flatMap((pattern) => [...source.matchAll(pattern)].map((match) => match[1] ?? ""));
}

interface Graph {
  files: string[];
  packages: Set<string>;
  problems: string[];
}

function walk(entry: string, check: (file: string, specifier: string) => string | null): Graph {
  const graph: Graph = { files: [], packages: new Set(), problems: [] };
  const queue = [entry];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const file = queue.pop() ?? "";
    if (seen.has(file)) continue;
    seen.add(file);
    graph.files.push(file);
    for (const specifier of specifiersOf(file)) {
      const problem = check(file, specifier);
      if (problem) graph.problems.push(problem);
      if (specifier.startsWith(".")) queue.push(resolve(dirname(file), specifier));
      else graph.packages.add(specifier);
    }
  }
  return graph;
}

describe("@bearer-kit/auth/verify import graph", () => {
  it("reaches only jose and pure modules of ours", () => {
    const graph = walk(ENTRY, (file, specifier) => {
      const from = relative(SRC, file);
      if (FORBIDDEN.test(specifier)) return `${from} imports ${specifier}`;
      if (specifier.startsWith(".")) {
        const target = relative(SRC, resolve(dirname(file), specifier));
        if (!ALLOWED_FILES.some((pattern) => pattern.test(target))) return `${from} imports ${target}, outside the allowlist`;
        return null;
      }
      return specifier === "jose" ? null : `${from} imports the package ${specifier}`;
    });
    expect(graph.problems).toEqual([]);
    expect([...graph.packages]).toEqual(["jose"]);
    // The walk did see the whole entry, not an empty graph.
    expect(graph.files.map((file) => relative(SRC, file))).toEqual(
      expect.arrayContaining(["verify/index.ts", "verify/create-verifier.ts", "verify/key-source.ts", "errors.ts"]),
    );
  });

  it("jose's default build, as the entry resolves it, uses Web APIs only", () => {
    const joseEntry = createRequire(ENTRY).resolve("jose");
    // jose publishes one build for every runtime, on Web Crypto and fetch.
    expect(joseEntry).toMatch(/jose\/dist\/webapi\/index\.js$/);
    const graph = walk(joseEntry, (file, specifier) =>
      specifier.startsWith(".") ? null : `${relative(dirname(joseEntry), file)} imports ${specifier}`,
    );
    expect(graph.problems).toEqual([]);
    expect(graph.files.length).toBeGreaterThan(20);
  });
});
