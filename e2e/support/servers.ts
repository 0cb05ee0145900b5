import { join } from "node:path";

// The app servers an e2e run starts, and what each is configured with. playwright.config.ts fixes
// the run's directories and names once, in the environment, so workers and scripts agree; read
// them lazily, after it has.
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** The conformance servers' secret: the suite signs forged tokens with it. */
export const CONFORMANCE_SECRET = "conformance-only-secret-0123456789abcdefghijklmn";

/** The PostgreSQL database the conformance server on PostgreSQL uses; created and dropped per run. */
export function conformanceDatabase(): { adminUrl: string; name: string; url: string } {
  const name = process.env.BK_E2E_PG_DATABASE ?? "";
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return { adminUrl: ADMIN_URL, name, url: url.toString() };
}

/** The ES256 conformance server's AUTH_PRIVATE_KEY (PEM); playwright.config.ts makes one per run. */
export function conformancePrivateKey(): string {
  const key = process.env.BK_E2E_PRIVATE_KEY ?? "";
  if (!key) throw new Error("BK_E2E_PRIVATE_KEY is not set; playwright.config.ts sets it");
  return key;
}

/**
 * The servers the conformance spec runs against: HS256 (the shared secret) on PostgreSQL, and
 * the asymmetric default (ES256) on PGlite with a key the suite is given, so it can forge with
 * the real key there too.
 */
export function conformanceServers() {
  const dataDir = process.env.BK_E2E_DATA_DIR ?? "";
  // Next to the main app's port, so two checkouts can run the suite side by side (E2E_PORT=3200).
  const base = Number(process.env.E2E_PORT ?? 3100);
  if (!dataDir) throw new Error("BK_E2E_DATA_DIR is not set; playwright.config.ts sets it");
  // Each sends its mail to an SMTP server the suite runs on smtpPort while it tests that server.
  const smtp = (port: number) => ({ SMTP_URL: `smtp://127.0.0.1:${port}` });
  // Short reset links, so the suite's reset-expiry case can wait one out.
  const resetTtl = 15;
  // Two servers cover both backends and both kinds of key, each case running twice, not three
  // times: the algorithm does not depend on the backend, nor the database on the algorithm.
  return [
    {
      backend: "postgres",
      algorithm: "HS256",
      port: base + 2,
      smtpPort: base + 42,
      resetTtl,
      env: { DATABASE_URL: conformanceDatabase().url, SMTP_URL: smtp(base + 42).SMTP_URL, AUTH_RESET_TTL: `${resetTtl}s` },
    },
    {
      backend: "pglite",
      algorithm: "ES256",
      port: base + 3,
      smtpPort: base + 43,
      resetTtl,
      env: {
        DATABASE_URL: "",
        PGLITE_DATA_DIR: join(dataDir, "pglite-conformance-es256"),
        AUTH_TOKEN_ALGORITHM: "ES256",
        AUTH_PRIVATE_KEY: conformancePrivateKey(),
        SMTP_URL: smtp(base + 43).SMTP_URL,
        AUTH_RESET_TTL: `${resetTtl}s`,
      },
    },
  ] as const;
}

/**
 * The notes service (apps/notes) the run starts next to the main app, trusting its JWKS.
 *
 * @example await page.route(`${notesServer().url}/notes`, (route) => route.abort());
 */
export function notesServer(): { port: number; url: string } {
  const port = Number(process.env.E2E_PORT ?? 3100) + 30;
  return { port, url: `http://localhost:${port}` };
}
