import { type AddressObject, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/** One message the catcher received, parsed (MIME and quoted-printable undone). */
export interface CaughtMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** The http(s) links in the text body, in order. */
  links: string[];
  receivedAt: Date;
}

/** A real SMTP server on a local port that keeps what it receives. */
export interface SmtpCatcher {
  readonly port: number;
  messages(): CaughtMail[];
  /**
   * The first message to `to` (and with `subject`, if given) received strictly after `since` (a
   * `Date.now()` value): a `since` read in the millisecond a mail was caught excludes that mail.
   * Rejects after `timeoutMs` (default 10 s) saying what came.
   */
  waitFor(filter: { to: string; subject?: string; since?: number }, options?: { timeoutMs?: number }): Promise<CaughtMail>;
  close(): Promise<void>;
}

const LINK = /https?:\/\/[^\s<>"']+/g;

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const objects = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return objects.flatMap((object) => object.value.map((entry) => (entry.address ?? "").toLowerCase()));
}

/**
 * Starts an SMTP server on `127.0.0.1:port` that accepts every message (any or no login) and
 * keeps it; `onMail` sees each one as it arrives. No STARTTLS: the app's nodemailer would
 * upgrade to it and then refuse the catcher's self-signed certificate.
 *
 * @example const catcher = await startSmtpCatcher({ port: 3241 }); const mail = await catcher.waitFor({ to: email });
 */
export async function startSmtpCatcher(options: { port: number; onMail?: (mail: CaughtMail) => void }): Promise<SmtpCatcher> {
  const received: CaughtMail[] = [];
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onAuth: (_auth, _session, callback) => callback(null, { user: "catcher" }),
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const text = parsed.text ?? "";
          const mail: CaughtMail = {
            to: addresses(parsed.to),
            subject: parsed.subject ?? "",
            text,
            html: typeof parsed.html === "string" ? parsed.html : "",
            links: text.match(LINK) ?? [],
            receivedAt: new Date(),
          };
          received.push(mail);
          options.onMail?.(mail);
          for (const wake of waiters) wake();
          callback();
        })
        .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => resolve());
  });

  const find = (filter: { to: string; subject?: string; since?: number }): CaughtMail | undefined =>
    received.find(
      (mail) =>
        mail.to.includes(filter.to.toLowerCase()) &&
        (filter.subject === undefined || mail.subject === filter.subject) &&
        mail.receivedAt.getTime() > (filter.since ?? -1),
    );

  return {
    port: options.port,
    messages: () => [...received],
    waitFor(filter, waitOptions = {}) {
      const timeoutMs = waitOptions.timeoutMs ?? 10_000;
      return new Promise((resolve, reject) => {
        const check = () => {
          const mail = find(filter);
          if (!mail) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(mail);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          const seen = received.map((mail) => `${mail.to.join(",")}: ${mail.subject}`).join("; ") || "nothing";
          reject(new Error(`no mail to ${filter.to}${filter.subject ? ` with subject "${filter.subject}"` : ""} within ${timeoutMs} ms (received: ${seen})`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
