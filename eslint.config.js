// The one lint setup for every package: strict TypeScript, no `any`, no non-null `!`,
// type-only imports kept type-only. Each package runs `eslint .` and finds this file.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/**
 * packages/auth/src is layered (docs/where-things-are.md): a folder imports only the folders of
 * the layers below it, never one above it nor its sibling in the same layer, so a capability can be
 * read, tested and changed without what is built on top of it. Listed from the bottom up.
 */
export const AUTH_LAYERS = [
  ["lib", "mail"],
  ["database"],
  ["config"],
  ["keys", "verify"],
  ["throttling"],
  ["passwords"],
  ["tokens"],
  ["dpop"],
  ["sessions"],
  ["second-factors"],
  ["passkeys"],
  ["security-events"],
  ["account", "recovery"],
  ["testing"],
];
/** The root files that wire every capability together: the top, imported by no folder. */
const AUTH_FACTORY = ["index", "client", "auth", "create-auth", "create-auth-from-env"];

/** The root files every layer may import: errors, codes, shared types, input schemas and the `amr` values. */
const AUTH_VOCABULARY = ["errors", "error-codes", "types", "input", "email", "amr"];

const FACTORY_PATTERN = `(${AUTH_FACTORY.join("|")})\\.ts$`;

/** One `no-restricted-imports` setup per folder, naming the layer each forbidden import belongs to. */
function authLayerRules() {
  const vocabulary = {
    files: AUTH_VOCABULARY.map((name) => `packages/auth/src/${name}.ts`),
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: `^\\./([a-z0-9-]+/|${FACTORY_PATTERN})`,
              message: "The shared root files sit below every layer: they import only each other (docs/where-things-are.md).",
            },
          ],
        },
      ],
    },
  };
  const folders = AUTH_LAYERS.flatMap((layer, index) =>
    layer.map((folder) => {
      const above = [...layer.filter((other) => other !== folder), ...AUTH_LAYERS.slice(index + 1).flat()];
      const patterns = [
        ...above.map((other) => ({
          regex: `^(\\.\\./)+${other}/`,
          message: `${folder}/ may not import ${other}/: a layer imports only the layers below it (docs/where-things-are.md).`,
        })),
        {
          regex: `^(\\.\\./)+${FACTORY_PATTERN}`,
          message: `${folder}/ may not import the root factory: it is built on top of every folder (docs/where-things-are.md).`,
        },
        { regex: "^@bearer-kit/auth(/|$)", message: "Inside the package, import the file: the entry points sit above every layer." },
      ];
      return {
        files: [`packages/auth/src/${folder}/**/*.ts`],
        // Unit tests sit beside the code but may use anything, the testing helpers included.
        ignores: ["**/*.test.ts"],
        rules: { "no-restricted-imports": ["error", { patterns }] },
      };
    }),
  );
  return [vocabulary, ...folders];
}

export default tseslint.config(
  {
    ignores: ["**/node_modules/**", "**/dist/**", "**/.next/**", "**/next-env.d.ts", "**/drizzle/**", "**/test-results/**", "**/playwright-report/**"],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    files: ["**/*.{ts,tsx}"],
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-non-null-assertion": "error",
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "max-params": ["error", 3],
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read the environment only in env.ts, validated with zod." },
      ],
    },
  },
  ...authLayerRules(),
  {
    files: ["**/env.ts", "**/*.config.{ts,js,mjs}", "**/*.test.ts", "**/test/**", "**/scripts/**", "**/bench/**", "e2e/**"],
    rules: { "no-restricted-properties": "off" },
  },
);
