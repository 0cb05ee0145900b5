import { fileURLToPath } from "node:url";
import { childEnv } from "../env.ts";
import { spawnUntilReady } from "./child-process.ts";

const BENCH_DIR = fileURLToPath(new URL("../..", import.meta.url));
/** 48 bytes: long enough for any algorithm; the bench's databases are thrown away. */
export const BENCH_SECRET = "bench-secret-that-is-long-enough-for-hs384-keys!";

export interface ApiServer {
  origin: string;
  stop(): Promise<void>;
}

export interface ApiServerOptions {
  port: number;
  /** `DATABASE_URL`, or `PGLITE_DATA_DIR` for the embedded database. */
  database: { url: string } | { dataDir: string };
  /** `AUTH_SESSION_CACHE`; omitted when this build has no session cache. */
  sessionCache?: "on" | "off";
  /** `AUTH_SECURITY_EVENT_RECEIVERS`: `name=credential,...` registered for the feed. */
  receivers?: string;
}

/** Starts `api-server.ts` in a child process (tsx, source condition) and waits until it listens. */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const database: Record<string, string> =
    "url" in options.database ? { DATABASE_URL: options.database.url } : { PGLITE_DATA_DIR: options.database.dataDir };
  const child = await spawnUntilReady({
    command: process.execPath,
    args: ["--conditions=@bearer-kit/source", "--import", "tsx", "src/api-server.ts"],
    cwd: BENCH_DIR,
    env: childEnv({
      ...database,
      AUTH_SECRET: BENCH_SECRET,
      AUTH_TRUSTED_PROXIES: "1",
      PORT: String(options.port),
      ...(options.sessionCache ? { AUTH_SESSION_CACHE: options.sessionCache } : {}),
      ...(options.receivers ? { AUTH_SECURITY_EVENT_RECEIVERS: options.receivers } : {}),
    }),
    ready: /listening (\d+)/,
  });
  return { origin: `http://127.0.0.1:${options.port}`, stop: child.stop };
}
