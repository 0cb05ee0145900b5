import { z } from "zod";
import { privateKeyProblem } from "./private-key.ts";
import { ALGORITHMS, DEFAULT_ALGORITHM, MIN_KEY_BYTES } from "./algorithms.ts";
import { type NumericSetting, readSetting, SETTINGS } from "./settings.ts";
import { resolveRelyingParty } from "./relying-party.ts";

const PORT_MESSAGE = "must be an integer from 1 to 65535";
// Mirrors security-events/receivers.ts (a layer above config/, so not imported from it).
const RECEIVER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MIN_RECEIVER_CREDENTIAL_LENGTH = 32;
/** RFC 6750 b64token: what an `Authorization: Bearer` header can carry. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/** `name=credential,...`: the feed receivers the app (re)registers at start. */
const receiverList = z.string().transform((value, ctx) => {
  const receivers: { name: string; credential: string }[] = [];
  const entries = value.split(",").map((part) => part.trim()).filter(Boolean);
  for (const [index, entry] of entries.entries()) {
    const at = entry.indexOf("=");
    const name = entry.slice(0, Math.max(at, 0)).trim();
    const credential = entry.slice(at + 1).trim();
    // Nothing from a refused entry is quoted back (this message may end up in a log): a missing
    // "=" would make the credential itself the name.
    const problem = (message: string) => ctx.addIssue({ code: "custom", message: `entry ${index + 1}: ${message}` });
    if (at < 0) problem("must be name=credential");
    else if (!RECEIVER_NAME.test(name)) problem("the name must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
    else if (credential.length < MIN_RECEIVER_CREDENTIAL_LENGTH) problem(`the credential of ${name} must be at least ${MIN_RECEIVER_CREDENTIAL_LENGTH} characters`);
    else if (!B64TOKEN.test(credential)) problem(`the credential of ${name} must be a bearer token: letters, digits and -._~+/ (then = padding)`);
    else if (receivers.some((receiver) => receiver.name === name)) problem(`${name} is listed twice`);
    else receivers.push({ name, credential });
  }
  return receivers;
});

/** Empty variables count as unset, as they do in most deployment tools. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

/** `true`/`false` (or `1`/`0`), `fallback` when unset. */
const flag = (fallback: boolean) =>
  optional(z.enum(["true", "false", "1", "0"], { message: "must be true or false" })).transform((v) => (v === undefined ? fallback : v === "true" || v === "1"));

/** A variable from the shared settings table: same default, same range, same message as the option. */
const numeric = (spec: NumericSetting) =>
  optional(z.union([z.string(), z.number()])).transform((value, ctx) => {
    if (value === undefined) return spec.default;
    const read = readSetting(spec, value);
    if (read.ok) return read.value;
    ctx.addIssue({ code: "custom", message: read.message });
    return z.NEVER;
  });

export const authEnvSchema = z
  .object({
    NODE_ENV: optional(z.enum(["development", "production", "test"])).transform((v) => v ?? "development"),
    AUTH_SECRET: optional(z.string()),
    AUTH_TOKEN_ALGORITHM: optional(z.enum(ALGORITHMS, { message: `must be one of ${ALGORITHMS.join(", ")}` })).transform(
      (v) => v ?? DEFAULT_ALGORITHM,
    ),
    AUTH_PRIVATE_KEY: optional(z.string()),
    AUTH_KEY_RELOAD_INTERVAL: numeric(SETTINGS.keyReloadInterval),
    AUTH_TOKEN_TTL: numeric(SETTINGS.ttl),
    AUTH_TOKEN_LEEWAY: numeric(SETTINGS.leeway),
    AUTH_ISSUER: optional(z.string()).transform((v) => v ?? "bearer-kit"),
    AUTH_AUDIENCE: optional(z.string()).transform((v) => v ?? "bearer-kit"),
    AUTH_REFRESH_TTL: numeric(SETTINGS.refreshTtl),
    AUTH_REFRESH_IDLE_TIMEOUT: numeric(SETTINGS.refreshIdleTimeout),
    AUTH_REFRESH_REUSE_INTERVAL: numeric(SETTINGS.refreshReuseInterval),
    AUTH_SIGNIN_MAX_FAILURES: numeric(SETTINGS.signinMaxFailures),
    AUTH_SIGNIN_MAX_FAILURES_PER_ACCOUNT: numeric(SETTINGS.signinMaxFailuresPerAccount),
    AUTH_SIGNIN_WINDOW: numeric(SETTINGS.signinWindow),
    AUTH_SIGNIN_MAX_PER_IP: numeric(SETTINGS.signinMaxPerIp),
    AUTH_MFA_TOKEN_MAX_FAILURES: numeric(SETTINGS.mfaTokenMaxFailures),
    AUTH_MFA_MAX_FAILURES_PER_ACCOUNT: numeric(SETTINGS.mfaMaxFailuresPerAccount),
    AUTH_REGISTER_MAX_PER_IP: numeric(SETTINGS.registerMaxPerIp),
    AUTH_REGISTER_WINDOW: numeric(SETTINGS.registerWindow),
    AUTH_IPV6_PREFIX: numeric(SETTINGS.ipv6Prefix),
    AUTH_HASH_CONCURRENCY: numeric(SETTINGS.hashConcurrency),
    AUTH_HASH_QUEUE: numeric(SETTINGS.hashQueue),
    AUTH_SESSION_CACHE: optional(z.enum(["on", "off"], { message: 'must be "on" or "off"' })).transform((v) => v ?? "on"),
    AUTH_SESSION_CACHE_MAX_AGE: numeric(SETTINGS.sessionCacheMaxAge),
    AUTH_SESSION_CACHE_SIZE: numeric(SETTINGS.sessionCacheSize),
    AUTH_MAX_SESSIONS_PER_USER: numeric(SETTINGS.maxSessionsPerUser),
    AUTH_EVENT_STREAMS_MAX: numeric(SETTINGS.eventStreamsMax),
    AUTH_RESET_TTL: numeric(SETTINGS.resetTtl),
    AUTH_REQUIRE_EMAIL_VERIFICATION: optional(z.enum(["true", "false", "1", "0"], { message: "must be true or false" })).transform(
      (v) => v === "true" || v === "1",
    ),
    AUTH_SECURITY_EVENTS_RETENTION: numeric(SETTINGS.securityEventsRetention),
    AUTH_DPOP: optional(z.enum(["off", "optional", "required"], { message: 'must be "off", "optional" or "required"' })).transform(
      (v) => v ?? "optional",
    ),
    AUTH_DPOP_PROOF_WINDOW: numeric(SETTINGS.dpopProofWindow),
    AUTH_DPOP_NONCE: flag(false),
    AUTH_ALERT_NEW_DEVICE: flag(true),
    AUTH_ALERT_REFRESH_REUSED: flag(true),
    AUTH_ALERT_CREDENTIAL_CHANGES: flag(true),
    SMTP_URL: optional(z.string().regex(/^smtps?:\/\/[^\s]+$/, "must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@host:587")),
    EMAIL_FROM: optional(z.string().min(3)).transform((v) => v ?? "bearer-kit <no-reply@localhost>"),
    // Unset: http://localhost:$PORT, filled in below once PORT is read.
    APP_URL: optional(
      z
        .string()
        .refine((value) => /^https?:$/.test(URL.parse(value)?.protocol ?? ""), "must be an http:// or https:// URL")
        .refine((value) => !URL.parse(value)?.search && !URL.parse(value)?.hash, "must have no query or fragment"),
    ),
    AUTH_WEBAUTHN_RP_ID: optional(z.string().regex(/^[a-z0-9.-]+$/i, "must be a domain, e.g. example.com")),
    AUTH_WEBAUTHN_ORIGINS: optional(z.string()).transform((v) => v?.split(",").map((origin) => origin.trim()).filter(Boolean)),
    AUTH_WEBAUTHN_RP_NAME: optional(z.string().min(1).max(64)),
    /** The port the host listens on; here only for APP_URL's default. */
    PORT: optional(z.coerce.number({ message: PORT_MESSAGE }).int(PORT_MESSAGE).min(1, PORT_MESSAGE).max(65_535, PORT_MESSAGE)).transform(
      (v) => v ?? 3000,
    ),
    AUTH_TRUSTED_PROXIES: optional(z.coerce.number().int().min(0).max(10)).transform((v) => v ?? 0),
    DATABASE_URL: optional(
      z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL"),
    ),
    PGLITE_DATA_DIR: optional(z.string()).transform((v) => v ?? ".data/pglite"),
    PGLITE_TEMPLATE_DIR: optional(z.string()).transform((v) => v ?? ".data/pglite-templates"),
    AUTH_SECURITY_EVENT_RECEIVERS: optional(receiverList).transform((v) => v ?? []),
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
    if (env.AUTH_PRIVATE_KEY !== undefined) {
      const problem = privateKeyProblem(env.AUTH_PRIVATE_KEY, env.AUTH_TOKEN_ALGORITHM);
      if (problem) ctx.addIssue({ code: "custom", path: ["AUTH_PRIVATE_KEY"], message: problem });
    }
    // A shared database may serve several instances: they must all hold the same, chosen secret.
    if (env.AUTH_SECRET === undefined && env.DATABASE_URL !== undefined) {
      ctx.addIssue({ code: "custom", path: ["AUTH_SECRET"], message: "is required when DATABASE_URL is set" });
    }
  })
  // Links in mail are built on APP_URL: without one, they point where this process listens
  // (PORT=3960 mails http://localhost:3960/... links), not at a fixed :3000 nobody serves.
  .transform((env) => ({ ...env, APP_URL: env.APP_URL ?? `http://localhost:${env.PORT}` }))
  // Passkeys are scoped to the RP ID: one that does not fit the origins must stop the start.
  .superRefine((env, ctx) => {
    try {
      resolveRelyingParty(env.APP_URL, { rpId: env.AUTH_WEBAUTHN_RP_ID, origins: env.AUTH_WEBAUTHN_ORIGINS });
    } catch (error) {
      const path = env.AUTH_WEBAUTHN_RP_ID === undefined ? "AUTH_WEBAUTHN_ORIGINS" : "AUTH_WEBAUTHN_RP_ID";
      ctx.addIssue({ code: "custom", path: [path], message: (error as Error).message.replace(/^auth: passkeys: /, "") });
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
