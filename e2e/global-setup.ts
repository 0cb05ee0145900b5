import { startSmtpCatcher } from "./conformance/lib/smtp-catcher.ts";
import { dropMail, mailPort } from "./support/mail-drop.ts";

/**
 * The SMTP server the main app sends to (its SMTP_URL, playwright.config.ts): a real one, so the
 * browser flows read their reset and verification links from mail that really went out.
 * Playwright starts the app servers first; the app connects only when it sends.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const catcher = await startSmtpCatcher({ port: mailPort(), onMail: dropMail });
  return () => catcher.close();
}
