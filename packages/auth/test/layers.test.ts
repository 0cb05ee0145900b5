import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// The layering of src (docs/where-things-are.md) is kept by the repository's lint setup
// (eslint.config.js, `no-restricted-imports` per folder). These cases prove that the rule fails on
// an import from a higher layer and passes on a lower one, and that no folder escapes it.

const ROOT = resolve(import.meta.dirname, "../../..");
const SRC = join(ROOT, "packages/auth/src");
// Only the layering rule: the snippets are not meant to satisfy the rest of the setup.
const eslint = new ESLint({ cwd: ROOT, ruleFilter: ({ ruleId }) => ruleId === "no-restricted-imports" });

/** The layering messages for `code` as if it were the file `path` under src. */
async function layerErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(SRC, path) });
  return (result?.messages ?? []).map((message) => message.message);
}

describe("the layers of packages/auth/src", () => {
  it("refuses an import from a higher layer, type-only imports and re-exports included", async () => {
    expect(await layerErrors("keys/example.ts", 'import { createSessionStore } from "../sessions/session-store.ts";\n')).toEqual([
      expect.stringContaining("keys/ may not import sessions/"),
    ]);
    expect(await layerErrors("database/example.ts", 'import type { AuthConfig } from "../config/options.ts";\n')).toEqual([
      expect.stringContaining("database/ may not import config/"),
    ]);
    expect(await layerErrors("tokens/example.ts", 'export { createAccountRecovery } from "../recovery/account-recovery.ts";\n')).toEqual([
      expect.stringContaining("tokens/ may not import recovery/"),
    ]);
  });

  it("refuses a sibling of the same layer, the root factory and the package's own entry points", async () => {
    expect(await layerErrors("account/example.ts", 'import { createEmailTokens } from "../recovery/email-tokens.ts";\n')).toEqual([
      expect.stringContaining("account/ may not import recovery/"),
    ]);
    expect(await layerErrors("sessions/example.ts", 'import type { Auth } from "../create-auth.ts";\n')).toEqual([
      expect.stringContaining("may not import the root factory"),
    ]);
    expect(await layerErrors("passwords/example.ts", 'import { AuthError } from "@bearer-kit/auth";\n')).toEqual([
      expect.stringContaining("Inside the package, import the file"),
    ]);
    expect(await layerErrors("errors.ts", 'import type { Session } from "./sessions/session-store.ts";\n')).toEqual([
      expect.stringContaining("The shared root files sit below every layer"),
    ]);
  });

  it("accepts imports from lower layers, the same folder and the shared root files", async () => {
    const code = [
      'import { AuthError } from "../errors.ts";',
      'import type { AuthConfig } from "../config/options.ts";',
      'import type { AuthDB } from "../database/auth-db.ts";',
      'import type { KeySet } from "../keys/key-set-types.ts";',
      'import { createAccessTokens } from "../tokens/access-token.ts";',
      'import { createSessionStore } from "./session-store.ts";',
      "",
    ].join("\n");
    expect(await layerErrors("sessions/example.ts", code)).toEqual([]);
    // The factory at the root wires every folder together.
    expect(await layerErrors("create-auth.ts", 'import { createAccountRecovery } from "./recovery/account-recovery.ts";\n')).toEqual([]);
    // Unit tests beside the code may use anything, the testing helpers included.
    expect(await layerErrors("mail/example.test.ts", 'import { startTestSMTPServer } from "../testing/index.ts";\n')).toEqual([]);
  });

  it("covers every folder of src, so a new one cannot escape the layering", async () => {
    const folders = readdirSync(SRC, { withFileTypes: true }).filter((entry) => entry.isDirectory());
    expect(folders.length).toBeGreaterThan(10);
    for (const folder of folders) {
      const errors = await layerErrors(`${folder.name}/example.ts`, 'import { createAuth } from "../create-auth.ts";\n');
      expect(errors, `${folder.name}/ has no layer in eslint.config.js`).toEqual([expect.stringContaining("root factory")]);
    }
  });

  it("passes on the tree as it is", async () => {
    const results = await eslint.lintFiles([join(SRC, "**/*.ts")]);
    expect(results.length).toBeGreaterThan(90);
    const problems = results.flatMap((result) => result.messages.map((message) => `${result.filePath}: ${message.message}`));
    expect(problems).toEqual([]);
  });
});
