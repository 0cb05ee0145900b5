import { parseDuration } from "@bearer-kit/auth/verify";
import { z } from "zod";

// The only place the notes service reads process.env. Empty values count as unset.
const unset = (value: unknown) => (value === "" ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(unset, schema);

const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });

/** An origin exactly as a browser sends it: scheme, host and port, no path. */
const origin = z
  .string()
  .refine((value) => URL.canParse(value) && new URL(value).origin === value, {
    error: 'must be an origin such as "http://localhost:3000" (scheme, host, port; no path or trailing slash)',
  });

/** Clock skew tolerated on `exp`, `nbf`, `iat`: the web app's `AUTH_TOKEN_LEEWAY`, same range. */
const leeway = z.string().refine(
  (value) => {
    const seconds = parseDuration(value);
    return seconds !== null && seconds <= 300;
  },
  { error: 'must be seconds or a span like "30s", from 0 to 5 minutes' },
);

export const notesEnvSchema = z.object({
  NOTES_PORT: optional(z.coerce.number({ error: "must be an integer from 1 to 65535" }).int().min(1).max(65_535).default(3001)),
  HOSTNAME: optional(z.string().default("localhost")),
  NOTES_DATABASE_URL: optional(z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// URL" }).optional()),
  NOTES_PGLITE_DATA_DIR: optional(z.string().default(".data/pglite")),
  NOTES_JWKS_URL: optional(httpUrl.default("http://localhost:3000/.well-known/jwks.json")),
  NOTES_ISSUER: optional(z.string().default("bearer-kit")),
  NOTES_AUDIENCE: optional(z.string().default("bearer-kit")),
  NOTES_TOKEN_LEEWAY: optional(leeway.default("60s")),
  NOTES_ALLOWED_ORIGIN: optional(origin.default("http://localhost:3000")),
  // Where clients reach this service, as the web app's NOTES_URL says (`npm start` gives both the
  // same): DPoP proofs name it (`htu`). Default http://localhost:NOTES_PORT.
  NOTES_URL: optional(httpUrl.optional()),
  // Set: revoked sessions are refused here within a second, from the web app's security-event
  // feed. Unset: a signed-out session's access token stays valid here until it expires.
  NOTES_RECEIVER_CREDENTIAL: optional(
    z.string().min(32, { error: "must be the receiver credential `pnpm receivers add notes` printed (at least 32 characters)" }).optional(),
  ),
  /** Default: NOTES_JWKS_URL's origin + `/api/security-events/poll`. */
  NOTES_SECURITY_EVENTS_URL: optional(httpUrl.optional()),
});

export type NotesEnv = z.infer<typeof notesEnvSchema>;

/**
 * Reads and checks the environment; throws one message naming every bad variable.
 *
 * @example const env = loadNotesEnv(process.env);
 */
export function loadNotesEnv(source: Record<string, string | undefined> = process.env): NotesEnv {
  const result = notesEnvSchema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  throw new Error(`bearer-kit notes: invalid environment\n  ${problems.join("\n  ")}`);
}
