import type { Transporter } from "nodemailer";
import type { Mailer } from "./mailer.ts";

/**
 * A mailer over real SMTP (nodemailer). `url` is an SMTP URL such as
 * `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465` (TLS from the start).
 *
 * @example const mailer = createSmtpMailer({ url: env.SMTP_URL, from: env.EMAIL_FROM });
 */
export function createSmtpMailer(options: { url: string; from: string }): Mailer {
  // Checked here, so a wrong URL stops start-up as it did when nodemailer was loaded eagerly.
  const protocol = URL.canParse(options.url) ? new URL(options.url).protocol : "";
  if (protocol !== "smtp:" && protocol !== "smtps:") {
    throw new TypeError("createSmtpMailer: url must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@host:587");
  }
  // nodemailer is loaded at the first mail, not with the package (about 80 ms of a cold import).
  let transport: Promise<Transporter> | undefined;
  return {
    async send(mail) {
      transport ??= import("nodemailer").then(({ createTransport }) => createTransport(options.url));
      await (await transport).sendMail({ from: options.from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
    },
  };
}
