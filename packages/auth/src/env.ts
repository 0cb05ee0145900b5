import { z } from "zod";
import { parseDuration } from "./duration.ts";
import { ALGORITHMS } from "./options.ts";

const MIN_KEY_BYTES = { HS256: 32, HS384: 48, HS512: 64 } as const;

/** Empty variables count as unset, as they do in most deployment tools. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

const duration = (fallback: string) =>
  optional(z.string())
    .transform((value, ctx) => {
      const seconds = parseDuration(value ?? fallback);
      if (seconds === null) {
        ctx.addIssue({ code: "custom", message: `must be seconds or a span like "15m" or "1h" (got "${value}")` });
        return z.NEVER;
      }
      return seconds;
    });

const count = (fallback: number) => optional(z.coerce.number().int().positive()).transform((v) => v ?? fallback);

export const authEnvSchema = z
  .object({
    NODE_ENV: optional(z.enum(["development", "production", "test"])).transform((v) => v ?? "development"),
    AUTH_SECRET: optional(z.string()),
    AUTH_TOKEN_ALGORITHM: optional(
      z.enum(ALGORITHMS, { message: `must be one of ${ALGORITHMS.join(", ")} (the key is a shared secret)` }),
    ).transform((v) => v ?? "HS256"),
    AUTH_TOKEN_TTL: duration("1h").refine((s) => s >= 1, "must be at least 1 second"),
    AUTH_TOKEN_LEEWAY: duration("60s").refine((s) => s <= 300, "must be at most 5 minutes (300 seconds)"),
    AUTH_ISSUER: optional(z.string()).transform((v) => v ?? "bearer-kit"),
    AUTH_AUDIENCE: optional(z.string()).transform((v) => v ?? "bearer-kit"),
    AUTH_REFRESH_TTL: duration("30d"),
    AUTH_REFRESH_IDLE_TIMEOUT: duration("7d"),
    AUTH_REFRESH_REUSE_INTERVAL: duration("10s"),
    AUTH_SIGNIN_MAX_FAILURES: count(5),
    AUTH_SIGNIN_WINDOW: duration("15m").refine((s) => s >= 1, "must be at least 1 second"),
    AUTH_SIGNIN_MAX_PER_IP: count(100),
    AUTH_TRUSTED_PROXIES: optional(z.coerce.number().int().min(0).max(10)).transform((v) => v ?? 0),
    DATABASE_URL: optional(
      z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL"),
    ),
    PGLITE_DATA_DIR: optional(z.string()).transform((v) => v ?? ".data/pglite"),
  })
  .superRefine((env, ctx) => {
    const min = MIN_KEY_BYTES[env.AUTH_TOKEN_ALGORITHM];
    if (env.AUTH_SECRET !== undefined && new TextEncoder().encode(env.AUTH_SECRET).byteLength < min) {
      ctx.addIssue({
        code: "custom",
        path: ["AUTH_SECRET"],
        message: `must be at least ${min} bytes for ${env.AUTH_TOKEN_ALGORITHM}; generate one with \`openssl rand -base64 48\``,
      });
    }
    // A shared database may serve several instances: they must all hold the same, chosen secret.
    if (env.AUTH_SECRET === undefined && env.DATABASE_URL !== undefined) {
      ctx.addIssue({ code: "custom", path: ["AUTH_SECRET"], message: "is required when DATABASE_URL is set" });
    }
  });

export type AuthEnv = z.output<typeof authEnvSchema>;

/**
 * Reads and validates the auth variables; throws one error naming every bad variable.
 *
 * @example const env = loadAuthEnv(process.env);
 */
export function loadAuthEnv(source: Record<string, string | undefined> = process.env): AuthEnv {
  const result = authEnvSchema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join(".") || "environment"}: ${issue.message}`);
  throw new Error(`Invalid environment:\n${lines.join("\n")}`);
}
