import { env } from "../env.ts";

/**
 * Whether the demo mailbox exists at all: only while no SMTP server is configured. Read from the
 * environment alone, so a page can ask without loading the auth service.
 *
 * @example {devMailboxEnabled() ? <a href="/dev/mailbox">Demo mailbox</a> : null}
 */
export function devMailboxEnabled(): boolean {
  return env.SMTP_URL === undefined;
}
