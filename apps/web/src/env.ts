import { type AuthEnv, authEnvSchema } from "@bearer-kit/auth/env";
import { z } from "zod";

/** Empty variables count as unset, as they do in the auth schema. */
const unsetIfEmpty = (value: unknown) => (value === "" ? undefined : value);

/**
 * The web app's own variables. `PORT` and `APP_URL` come from the auth schema, which defaults
 * APP_URL to http://localhost:$PORT; an https APP_URL turns on `Secure` cookies and HSTS.
 */
const webEnvSchema = z.object({
  HOSTNAME: z.preprocess(unsetIfEmpty, z.string().default("localhost")),
  /** Forces the refresh cookie `Secure` (and `__Host-`) whatever the request says; on when APP_URL is https. */
  AUTH_COOKIE_SECURE: z.preprocess(unsetIfEmpty, z.stringbool({ error: 'must be "true" or "false"' }).optional()),
  /**
   * Where the browser reaches the notes service (apps/notes). Its origin, and no other, joins the
   * pages' `connect-src`, so the in-memory token can be sent there and nowhere else.
   */
  NOTES_URL: z.preprocess(
    unsetIfEmpty,
    z
      .url({ protocol: /^https?$/, message: "must be an http:// or https:// URL" })
      .refine((value) => !/[?#]/.test(value), { message: "must not have a query or fragment" })
      .default("http://localhost:3001"),
  ),
});

export type WebEnv = AuthEnv & z.output<typeof webEnvSchema>;

/**
 * Validates every variable the web app reads; throws one error naming each bad one.
 * The auth schema is parsed on its own because it carries cross-field refinements.
 *
 * @example const env = loadWebEnv({ AUTH_TOKEN_TTL: "15m" });
 */
export function loadWebEnv(source: Record<string, string | undefined>): WebEnv {
  const auth = authEnvSchema.safeParse(source);
  const web = webEnvSchema.safeParse(source);
  if (auth.success && web.success) return { ...auth.data, ...web.data };
  const issues = [...(auth.error?.issues ?? []), ...(web.error?.issues ?? [])];
  const lines = issues.map((issue) => `  ${issue.path.join(".") || "environment"}: ${issue.message}`);
  throw new Error(`Invalid environment:\n${lines.join("\n")}`);
}

/** The validated environment of this process. */
export const env: WebEnv = loadWebEnv(process.env);

/**
 * True under `next dev` (`pnpm dev`) only. Next replaces `process.env.NODE_ENV` when it compiles,
 * so a production build is never in development mode, whatever NODE_ENV says when it runs.
 */
export const isDevelopmentBuild: boolean = process.env.NODE_ENV === "development";
