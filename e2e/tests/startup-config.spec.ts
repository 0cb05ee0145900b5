import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";

// The built app, started as users start it, must refuse an unsafe configuration before it
// serves anything, and say which variable is wrong.
const STRONG = "a-production-secret-that-is-long-enough-0123456789";

function start(env: Record<string, string>, port: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["scripts/start.mjs"], {
      cwd: join(import.meta.dirname, "..", "..", "apps", "web"),
      env: {
        PATH: process.env.PATH ?? "",
        NODE_ENV: "production",
        PORT: String(port),
        HOSTNAME: "127.0.0.1",
        PGLITE_DATA_DIR: join(mkdtempSync(join(tmpdir(), "bk-config-")), "pglite"),
        ...env,
      },
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    // A server that starts anyway is the failure: stop it and report what it printed.
    const timer = setTimeout(() => child.kill("SIGTERM"), 30_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

const refusals: [string, Record<string, string>, RegExp][] = [
  ["a missing secret with DATABASE_URL", { DATABASE_URL: "postgres://postgres@127.0.0.1:5432/test" }, /AUTH_SECRET: is required when DATABASE_URL is set/],
  ["a weak secret", { AUTH_SECRET: "changeme" }, /AUTH_SECRET: must be at least 32 bytes for ES256/],
  ["an algorithm we do not offer (PS256)", { AUTH_SECRET: STRONG, AUTH_TOKEN_ALGORITHM: "PS256" }, /AUTH_TOKEN_ALGORITHM: must be one of ES256, EdDSA, RS256, HS256, HS384, HS512/],
  ["a private key that is not one", { AUTH_SECRET: STRONG, AUTH_PRIVATE_KEY: "-----BEGIN PUBLIC KEY-----" }, /AUTH_PRIVATE_KEY: must be a private key/],
  ["a key too short for HS512", { AUTH_SECRET: STRONG, AUTH_TOKEN_ALGORITHM: "HS512" }, /AUTH_SECRET: must be at least 64 bytes for HS512/],
  ["a leeway over 5 minutes", { AUTH_SECRET: STRONG, AUTH_TOKEN_LEEWAY: "10m" }, /AUTH_TOKEN_LEEWAY: must be at most 5 minutes/],
  ["an APP_URL that is not http(s)", { AUTH_SECRET: STRONG, APP_URL: "ftp://bearer-kit.example" }, /APP_URL: must be an http:\/\/ or https:\/\/ URL/],
  ["an AUTH_COOKIE_SECURE that is not a boolean", { AUTH_SECRET: STRONG, AUTH_COOKIE_SECURE: "maybe" }, /AUTH_COOKIE_SECURE: must be "true" or "false"/],
  [
    "a passkey RP ID that does not fit APP_URL",
    { AUTH_SECRET: STRONG, APP_URL: "https://app.example.com", AUTH_WEBAUTHN_RP_ID: "example.org" },
    /AUTH_WEBAUTHN_RP_ID: the RP ID "example.org" is not app\.example\.com or a suffix of it/,
  ],
  ["a passkey RP ID that is a public suffix", { AUTH_SECRET: STRONG, APP_URL: "https://me.github.io", AUTH_WEBAUTHN_RP_ID: "github.io" }, /AUTH_WEBAUTHN_RP_ID: the RP ID "github.io" is a public suffix/],
];

test.describe("start-up configuration safety", () => {
  refusals.forEach(([label, env, message], index) => {
    test(`refuses to start with ${label}`, async () => {
      const { code, output } = await start(env, 3170 + index);
      expect(output).toMatch(message);
      expect(output).not.toMatch(/listening on/);
      expect(code).not.toBe(0);
    });
  });
});
