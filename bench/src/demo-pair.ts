// Section 6, for information: the pair through the demo's own server (apps/web, Next.js).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { BenchOptions } from "./bench-options.ts";
import { childEnv } from "./env.ts";
import { measurePair, type PairResult } from "./http-pair.ts";
import { bearer, benchEmail, ENDPOINT, register } from "./lib/api-client.ts";
import { BENCH_SECRET } from "./lib/api-server-process.ts";
import { spawnUntilReady } from "./lib/child-process.ts";

const WEB_DIR = fileURLToPath(new URL("../../apps/web", import.meta.url));

/**
 * The demo serves only our router, which has no public query, so its "public" side is
 * `auth.me` without a token: the same route, tRPC and handler, answered 401 before any token
 * or database work. `null` with the reason when there is no production build.
 */
export async function measureDemoPair(databaseUrl: string, port: number, options: BenchOptions): Promise<PairResult | { skipped: string }> {
  if (!existsSync(`${WEB_DIR}/.next/BUILD_ID`)) return { skipped: "no production build; run `pnpm --filter @bearer-kit/web build` first" };
  const server = await spawnUntilReady({
    command: process.execPath,
    args: ["scripts/start.mjs"],
    cwd: WEB_DIR,
    env: childEnv({ PORT: String(port), HOSTNAME: "127.0.0.1", DATABASE_URL: databaseUrl, AUTH_SECRET: BENCH_SECRET, AUTH_TRUSTED_PROXIES: "1" }),
    ready: /listening on (\S+)/,
    timeoutMs: 120_000,
  });
  try {
    const origin = `http://127.0.0.1:${port}`;
    const { accessToken } = await register(origin, benchEmail(0, `demo-${Date.now()}`), "10.6.0.1");
    return await measurePair(
      { url: `${origin}${ENDPOINT}/auth.me` },
      { url: `${origin}${ENDPOINT}/auth.me`, headers: bearer(accessToken) },
      { ...options, connections: 16 },
    );
  } finally {
    await server.stop();
  }
}
