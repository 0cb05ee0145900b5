import { createTransport } from "nodemailer";
import type { Mailer } from "./mailer.ts";

/**
 * A mailer over real SMTP (nodemailer). `url` is an SMTP URL such as
 * `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465` (TLS from the start).
 *
 * @example const mailer = createSmtpMailer({ url: env.SMTP_URL, from: env.EMAIL_FROM });
 */
export function createSmtpMailer(options: { url: string; from: string }): Mailer {
  const transport = createTransport(options.url);
  return {
    async send(mail) {
      await transport.sendMail({ from: options.from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
    },
  };
}
