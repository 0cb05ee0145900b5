import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig, devices, type LaunchOptions } from "@playwright/test";
import { mailPort } from "./support/mail-drop.ts";
import { CONFORMANCE_SECRET, conformanceServers, notesServer } from "./support/servers.ts";

const CI = Boolean(process.env.CI);
const PORT = Number(process.env.E2E_PORT ?? 3100);
const BASE_URL = `http://localhost:${PORT}`;
const NOTES = notesServer();

// A fresh embedded database per run. Set once in the main process; workers inherit it, and
// global-teardown.ts removes it. Playwright evaluates this file in every worker too.
const RUN_ID = `${Date.now()}_${process.pid}`;
const DATA_DIR = (process.env.BK_E2E_DATA_DIR ??= join(tmpdir(), `bearer-kit-e2e-${RUN_ID}`));
process.env.BK_E2E_PG_DATABASE ??= `bk_e2e_${RUN_ID}`;
// The ES256 conformance server's key, given to the suite too so it can forge with it.
process.env.BK_E2E_PRIVATE_KEY ??= generateKeyPairSync("ec", { namedCurve: "P-256" })
  .privateKey.export({ format: "pem", type: "pkcs8" })
  .toString();

// The notes service's receiver credential for the web app's security-event feed: one per run,
// registered by the web app (AUTH_SECURITY_EVENT_RECEIVERS) and presented by notes.
const RECEIVER_CREDENTIAL = (process.env.BK_E2E_RECEIVER_CREDENTIAL ??= `ser_${randomBytes(32).toString("base64url")}`);

// The distribution's Chromium when present (no browser download needed); Playwright's own otherwise.
const SYSTEM_CHROMIUM = "/usr/bin/chromium";
const launchOptions: LaunchOptions = existsSync(SYSTEM_CHROMIUM)
  ? {
      executablePath: SYSTEM_CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    }
  : {};

export default defineConfig({
  testDir: "./tests",
  fullyParallel: true,
  forbidOnly: CI,
  // A test that passes only on retry is a failing test: none is retried, in CI or out.
  retries: 0,
  // Two cores: the server hashes passwords with argon2id while the browsers run.
  workers: 2,
  reporter: "list",
  timeout: 45_000,
  expect: { timeout: 10_000 },
  globalSetup: "./global-setup.ts",
  globalTeardown: "./global-teardown.ts",
  use: {
    baseURL: BASE_URL,
    // DOM snapshots and the network log of a failed test, without the screencast: recording a
    // frame per action for every test slowed each one by half on two cores, and the slowest
    // multi-step specs then ran out of time.
    trace: { mode: "retain-on-failure", screenshots: false },
    launchOptions,
  },
  projects: [
    { name: "chromium", testIgnore: /conformance\.spec\.ts/, use: { ...devices["Desktop Chrome"], launchOptions } },
    // After the browser flows, so its timing case (enumeration by response time) runs on a quiet machine.
    { name: "conformance", testMatch: /conformance\.spec\.ts/, dependencies: ["chromium"] },
  ],
  webServer: [
    {
      // The production build (`next build` runs first, from the root test script); never `next dev`.
      command: "node scripts/start.mjs",
      cwd: "../apps/web",
      // A protected call: 401 (ready) only once the database is open and migrated, 503 before.
      // The page alone answers earlier, and a short run could then tear down a half-started server.
      url: `${BASE_URL}/api/trpc/auth.me`,
      reuseExistingServer: !CI,
      timeout: 120_000,
      stdout: "pipe",
      stderr: "pipe",
      env: {
        NODE_ENV: "production",
        PORT: String(PORT),
        HOSTNAME: "localhost",
        // Empty counts as unset: the run must not touch a PostgreSQL from the outer environment.
        DATABASE_URL: "",
        PGLITE_DATA_DIR: join(DATA_DIR, "pglite"),
        AUTH_SECRET: "e2e-only-secret-0123456789abcdefghijklmnopqrstuv",
        // Access tokens die after 5 seconds with no leeway, so silent refresh really happens.
        AUTH_TOKEN_TTL: "5",
        AUTH_TOKEN_LEEWAY: "0",
        // Every spec registers from this one machine's address; the default (20 an hour) is for the internet.
        AUTH_REGISTER_MAX_PER_IP: "100000",
        NOTES_URL: NOTES.url,
        AUTH_SECURITY_EVENT_RECEIVERS: `notes=${RECEIVER_CREDENTIAL}`,
        // Real SMTP, to the catcher global-setup.ts runs; links point at this server.
        SMTP_URL: `smtp://127.0.0.1:${mailPort()}`,
        EMAIL_FROM: "bearer-kit e2e <no-reply@example.test>",
        APP_URL: BASE_URL,
      },
    },
    {
      // The notes service, trusting the main app's tokens through its JWKS (ES256, the default).
      // The source condition: the packages are read as TypeScript, with no build step before e2e.
      command: "node --conditions=@bearer-kit/source --import tsx src/main.ts",
      cwd: "../apps/notes",
      // A GET without a token answers 401 once the service listens: ready.
      url: `${NOTES.url}/notes`,
      reuseExistingServer: !CI,
      timeout: 60_000,
      stdout: "pipe",
      stderr: "pipe",
      env: {
        NOTES_PORT: String(NOTES.port),
        HOSTNAME: "localhost",
        NOTES_DATABASE_URL: "",
        NOTES_PGLITE_DATA_DIR: join(DATA_DIR, "pglite-notes"),
        NOTES_JWKS_URL: `${BASE_URL}/.well-known/jwks.json`,
        NOTES_ALLOWED_ORIGIN: BASE_URL,
        // As the main app: no leeway, so a token expires here when it expires there.
        NOTES_TOKEN_LEEWAY: "0",
        // Follows the main app's security-event feed (beside its JWKS), so revocations reach it.
        NOTES_RECEIVER_CREDENTIAL: RECEIVER_CREDENTIAL,
      },
    },
    // The conformance suite's servers: default settings with HS256 on PostgreSQL, and ES256 on
    // PGlite with a private key the suite is given.
    ...conformanceServers().map((server) => ({
      command:
        server.backend === "postgres"
          ? "node --import tsx support/create-database.ts && node ../apps/web/scripts/start.mjs"
          : "node ../apps/web/scripts/start.mjs",
      cwd: ".",
      url: `http://localhost:${server.port}/api/trpc/auth.me`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "pipe" as const,
      stderr: "pipe" as const,
      env: {
        NODE_ENV: "production",
        PORT: String(server.port),
        HOSTNAME: "localhost",
        AUTH_SECRET: CONFORMANCE_SECRET,
        // The suite forges tokens with the HMAC secret, or with the key it is given (server.env).
        AUTH_TOKEN_ALGORITHM: "HS256",
        // The suite registers its throwaway accounts from one address.
        AUTH_REGISTER_MAX_PER_IP: "100000",
        BK_E2E_PG_DATABASE: process.env.BK_E2E_PG_DATABASE ?? "",
        ...server.env,
      },
    })),
  ],
});
