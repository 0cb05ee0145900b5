import { env } from "../env.ts";
import { isHttpsDeployment } from "./https-deployment.ts";

/**
 * Whether the demo mailbox is served at all. Only while no SMTP server is configured (mail then
 * goes nowhere else), and never where the configuration says others reach the app: behind a
 * trusted proxy every request arrives from the proxy's socket, often loopback, and an https
 * APP_URL is a public deployment. Read from the environment alone, so a page can ask without
 * loading the auth service.
 *
 * @example {devMailboxEnabled() ? <a href="/dev/mailbox">Demo mailbox</a> : null}
 */
export function devMailboxEnabled(): boolean {
  return env.SMTP_URL === undefined && env.AUTH_TRUSTED_PROXIES === 0 && !isHttpsDeployment(env);
}
