import { randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CaughtMail } from "../conformance/lib/smtp-catcher.ts";

// The main app sends its mail over SMTP to a catcher in Playwright's main process
// (global-setup.ts); tests run in worker processes, so each message is handed over as a file.

/** The main app's SMTP port: E2E_PORT + 40, clear of the conformance (+1, +2, +42, +43) and notes (+30) ports. */
export function mailPort(): number {
  return Number(process.env.E2E_PORT ?? 3100) + 40;
}

function dropDir(): string {
  const dataDir = process.env.BK_E2E_DATA_DIR ?? "";
  if (!dataDir) throw new Error("BK_E2E_DATA_DIR is not set; playwright.config.ts sets it");
  return join(dataDir, "mail");
}

/**
 * Writes one received message where the workers can read it.
 *
 * @example await startSmtpCatcher({ port: mailPort(), onMail: dropMail });
 */
export function dropMail(mail: CaughtMail): void {
  const dir = dropDir();
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${Date.now()}-${randomUUID()}.json`), JSON.stringify(mail));
}

type DroppedMail = Omit<CaughtMail, "receivedAt"> & { receivedAt: string };

function readDropped(): DroppedMail[] {
  let names: string[];
  try {
    names = readdirSync(dropDir()).filter((name) => name.endsWith(".json")).sort();
  } catch {
    return [];
  }
  return names.map((name) => JSON.parse(readFileSync(join(dropDir(), name), "utf8")) as DroppedMail);
}

/**
 * Waits for the main app's message to `to` with `subject` and returns it; fails after 15 s
 * naming what did arrive. Addresses are unique per test, so the newest match is the one.
 *
 * @example const mail = await waitForMail({ to: user.email, subject: "Reset your password" });
 */
export async function waitForMail(filter: { to: string; subject: string; after?: number }): Promise<DroppedMail> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const matches = readDropped().filter(
      (mail) =>
        mail.to.includes(filter.to.toLowerCase()) &&
        mail.subject === filter.subject &&
        new Date(mail.receivedAt).getTime() > (filter.after ?? -1),
    );
    const newest = matches.at(-1);
    if (newest) return newest;
    if (Date.now() > deadline) {
      const seen = readDropped().filter((mail) => mail.to.includes(filter.to.toLowerCase()));
      throw new Error(`no "${filter.subject}" mail to ${filter.to} within 15 s; to that address: ${JSON.stringify(seen.map((m) => m.subject))}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * The one link of a message that points at `path` (e.g. "/reset-password"), as a path plus
 * fragment, so a test opens it on whatever origin it runs against.
 *
 * @example await page.goto(linkTo(mail, "/verify-email"));
 */
export function linkTo(mail: { links: string[] }, path: string): string {
  const link = mail.links.map((href) => new URL(href)).find((url) => url.pathname === path);
  if (!link) throw new Error(`no ${path} link in ${JSON.stringify(mail.links)}`);
  return `${link.pathname}${link.search}${link.hash}`;
}
