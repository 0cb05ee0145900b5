// The one lint setup for every package: strict TypeScript, no `any`, no non-null `!`,
// type-only imports kept type-only. Each package runs `eslint .` and finds this file.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

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
  {
    files: ["**/env.ts", "**/*.config.{ts,js,mjs}", "**/*.test.ts", "**/test/**", "**/scripts/**", "**/bench/**", "e2e/**"],
    rules: { "no-restricted-properties": "off" },
  },
);
