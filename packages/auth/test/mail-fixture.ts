import { afterAll, afterEach, beforeAll } from "vitest";
import type { Auth } from "../src/create-auth.ts";
import { createSmtpMailer } from "../src/mail/smtp-mailer.ts";
import type { AuthOptions } from "../src/config/options.ts";
import { startTestSMTPServer, type TestSMTPServer } from "../src/testing/index.ts";
import type { Fixture } from "./fixture.ts";

export const APP_URL = "http://app.test";

export interface MailFixture {
  smtp: TestSMTPServer;
  /** The service under test, mailing through real SMTP to `smtp`. */
  auth: Auth;
  /** What the service reported through `onWarning`. */
  warnings: string[];
  /** Another service on the same database and mail server, with other options. */
  withOptions(options: Partial<AuthOptions>): Auth;
}

/** A real SMTP server for the file, and a service (on `t`'s database and clock) that sends to it. */
export function useMail(t: Fixture, options: Partial<AuthOptions> = {}): MailFixture {
  const fixture = { warnings: [] as string[] } as MailFixture;
  beforeAll(async () => {
    fixture.smtp = await startTestSMTPServer();
    const mailer = createSmtpMailer({ url: fixture.smtp.url, from: "bearer-kit <no-reply@localhost>" });
    fixture.withOptions = (extra) =>
      t.withOptions({ mailer, appUrl: APP_URL, onWarning: (message) => fixture.warnings.push(message), ...options, ...extra });
    fixture.auth = fixture.withOptions({});
  });
  afterEach(async () => {
    await fixture.auth?.idle();
    fixture.warnings.length = 0;
    if (fixture.smtp) fixture.smtp.failing = false;
  });
  afterAll(async () => {
    await fixture.smtp?.close();
  });
  return fixture;
}
