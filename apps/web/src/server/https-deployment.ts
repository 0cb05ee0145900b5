import type { WebEnv } from "../env.ts";

/**
 * True when the operator says the app is served over https: `AUTH_COOKIE_SECURE=true`, or an
 * https `APP_URL`. A TLS-terminating proxy need not send `X-Forwarded-Proto` then (nginx does
 * not by default), so `Secure` cookies never hang on a header.
 *
 * @example if (isHttpsDeployment(env)) headers.set("x-forwarded-proto", "https");
 */
export function isHttpsDeployment(env: Pick<WebEnv, "APP_URL" | "AUTH_COOKIE_SECURE">): boolean {
  return env.AUTH_COOKIE_SECURE === true || new URL(env.APP_URL).protocol === "https:";
}
