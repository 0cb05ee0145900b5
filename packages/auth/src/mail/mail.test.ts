import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestSMTPServer, type TestSMTPServer } from "../testing/index.ts";
import { createDevMailbox, DEV_MAILBOX_LIMIT } from "./dev-mailbox.ts";
import { createSmtpMailer } from "./smtp-mailer.ts";
import { passwordResetMail, registrationAttemptMail } from "./templates.ts";

let smtp: TestSMTPServer;
beforeAll(async () => {
  smtp = await startTestSMTPServer();
});
afterAll(() => smtp.close());

describe("createSmtpMailer", () => {
  it("delivers both bodies over SMTP, with the URL's credentials", async () => {
    const mailer = createSmtpMailer({ url: smtp.url, from: "bearer-kit <no-reply@localhost>" });
    await mailer.send(passwordResetMail("ann@example.com", "http://app.test/reset-password#token=reset_x", 1800));
    const mail = await smtp.take("ann@example.com");
    expect(mail).toMatchObject({ from: "no-reply@localhost", subject: "Reset your password", token: "reset_x" });
    expect(mail.text).toContain("30 minutes");
    expect(mail.html).toContain('<a href="http://app.test/reset-password#token=reset_x">');
  });

  it("rejects when the server refuses the message, or the credentials", async () => {
    smtp.failing = true;
    await expect(createSmtpMailer({ url: smtp.url, from: "x@localhost" }).send(registrationAttemptMail("a@example.com", "http://x"))).rejects.toThrow();
    smtp.failing = false;
    const wrong = smtp.url.replace("test:test", "test:nope");
    await expect(createSmtpMailer({ url: wrong, from: "x@localhost" }).send(registrationAttemptMail("a@example.com", "http://x"))).rejects.toThrow();
  });

  it("refuses a URL that is not smtp:// or smtps:// when it is created, not at the first mail", () => {
    for (const url of ["not a url", "http://mail.example.com", "mail.example.com:587"]) {
      expect(() => createSmtpMailer({ url, from: "x@localhost" })).toThrow(/smtp:\/\/ or smtps:\/\//);
    }
  });
});

describe("templates", () => {
  it("escape what they put into HTML", () => {
    const mail = passwordResetMail("a@example.com", 'http://app.test/"><script>x</script>', 1800);
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain("&lt;script&gt;");
    expect(mail.text).toContain("<script>"); // plain text needs no escaping
  });
});

describe("createDevMailbox", () => {
  it("lists messages newest first with their links, and keeps only the last 100", async () => {
    const mailbox = createDevMailbox();
    for (let i = 0; i < DEV_MAILBOX_LIMIT + 5; i++) {
      await mailbox.send(passwordResetMail(`u${i}@example.com`, `http://app.test/reset-password#token=reset_${i}`, 1800));
    }
    const list = mailbox.list();
    expect(list).toHaveLength(DEV_MAILBOX_LIMIT);
    expect(list[0]).toMatchObject({ to: `u${DEV_MAILBOX_LIMIT + 4}@example.com`, links: [`http://app.test/reset-password#token=reset_${DEV_MAILBOX_LIMIT + 4}`] });
    expect(list[0]?.id).toMatch(/^[0-9a-f-]{36}$/);
  });
});
