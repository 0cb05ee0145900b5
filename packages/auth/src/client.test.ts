import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import * as client from "./client.ts";
import { AUTH_ERROR_CODES } from "./errors.ts";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "./index.ts";

/** Every module specifier `entry` imports or re-exports, followed through relative imports. */
function importGraph(entry: string): { files: string[]; external: string[] } {
  const files = new Set<string>();
  const external = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const source = readFileSync(file, "utf8");
    // `from "x"`, `import "x"` and `import("x")`: static, side-effect and dynamic imports.
    for (const match of source.matchAll(/\b(?:from|import)\s*\(?\s*["']([^"']+)["']/g)) {
      const specifier = match[1] ?? "";
      if (specifier.startsWith(".")) visit(resolve(dirname(file), specifier));
      else external.add(specifier);
    }
  };
  visit(resolve(import.meta.dirname, entry));
  return { files: [...files], external: [...external] };
}

describe("@bearer-kit/auth/client", () => {
  it("imports nothing outside its own files but jose: no node:, no drizzle, argon2, postgres or PGlite", () => {
    const graph = importGraph("client.ts");
    expect(graph.external).toEqual(["jose"]);
    expect(graph.files.map((file) => file.slice(import.meta.dirname.length + 1)).sort()).toEqual([
      "client.ts",
      "dpop-client.ts",
      "error-codes.ts",
      "passwords/password-policy.ts",
    ]);
  });

  it("shares the server's codes and password policy, and gives every code a meaning", () => {
    expect(client.AUTH_ERROR_CODES).toBe(AUTH_ERROR_CODES);
    expect([client.PASSWORD_MIN_LENGTH, client.PASSWORD_MAX_LENGTH]).toEqual([PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH]);
    expect(Object.keys(client.AUTH_ERROR_MEANINGS).sort()).toEqual([...AUTH_ERROR_CODES].sort());
    for (const code of AUTH_ERROR_CODES) {
      expect(client.AUTH_ERROR_MEANINGS[code].meaning.length).toBeGreaterThan(10);
      expect(client.AUTH_ERROR_MEANINGS[code].message).toMatch(/\.$/);
    }
    expect(client.isAuthErrorCode("TOKEN_EXPIRED")).toBe(true);
    expect(client.isAuthErrorCode("toString")).toBe(false);
    expect(client.isAuthErrorCode(42)).toBe(false);
  });
});
