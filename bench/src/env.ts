// The bench's environment (the only place it reads process.env), validated with zod.
import { type AuthEnv, loadAuthEnv } from "@bearer-kit/auth/env";
import { z } from "zod";

const unsetIfEmpty = (value: unknown) => (value === "" ? undefined : value);

const benchEnvSchema = z.object({
  /** Seconds per load round (and per p99 window). Default 4; `--smoke` uses 0.5. */
  BENCH_ROUND_SECONDS: z.preprocess(unsetIfEmpty, z.coerce.number().positive().max(600).optional()),
  /** A PostgreSQL server URL whose user may create databases; the bench creates its own. */
  BENCH_POSTGRES_URL: z.preprocess(unsetIfEmpty, z.url().default("postgres://postgres@127.0.0.1:5432/postgres")),
  /** First of the ports the bench's servers listen on (127.0.0.1), up to +9. Default 4300; `--smoke` adds 50. */
  BENCH_PORT: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(1024).max(65_000).default(4300)),
});

export type BenchEnv = z.output<typeof benchEnvSchema>;

export function loadBenchEnv(source: Record<string, string | undefined> = process.env): BenchEnv {
  const parsed = benchEnvSchema.safeParse(source);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
  throw new Error(`Invalid bench environment:\n${lines.join("\n")}`);
}

/** A child server's settings: the auth variables, plus where to listen. */
export interface ServerEnv {
  auth: AuthEnv;
  port: number;
}

export function loadServerEnv(source: Record<string, string | undefined> = process.env): ServerEnv {
  const port = z.coerce.number().int().min(1).max(65_535).safeParse(source.PORT);
  if (!port.success) throw new Error(`PORT: must be a port number (got "${source.PORT ?? ""}")`);
  return { auth: loadAuthEnv(source), port: port.data };
}

/**
 * Whether this build of the auth core knows `AUTH_SESSION_CACHE` (issue 9's session cache).
 * zod drops keys the schema does not declare, so an unknown variable simply disappears.
 */
export function sessionCacheSupported(): boolean {
  return "AUTH_SESSION_CACHE" in loadAuthEnv({ AUTH_SESSION_CACHE: "on" });
}

/** A child's environment: ours without any database, auth or notes setting (those come from `overrides` only). */
export function childEnv(overrides: Record<string, string>): Record<string, string | undefined> {
  const inherited = Object.entries(process.env).filter(([key]) => !/^(AUTH_|NOTES_|DATABASE_URL$|PGLITE_DATA_DIR$|PORT$|HOSTNAME$)/.test(key));
  return { ...Object.fromEntries(inherited), ...overrides };
}
