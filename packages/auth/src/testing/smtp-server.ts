import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/** A message as the test SMTP server received and parsed it. */
export interface ReceivedMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  /** Every http(s) link in the text body. */
  links: string[];
  /** The `#token=` of the first link that has one, decoded. */
  token: string | null;
}

export interface TestSMTPServer {
  /** `smtp://test:test@127.0.0.1:<port>`: credentials required, no TLS. */
  readonly url: string;
  /** Every message received, oldest first. */
  readonly messages: readonly ReceivedMail[];
  /** While true, every message is refused with a 550, as a broken relay would. */
  failing: boolean;
  /** The oldest message to `to` not taken yet, waiting up to `timeoutMs` (5 s) for it to arrive. */
  take(to: string, timeoutMs?: number): Promise<ReceivedMail>;
  /** Messages to `to` not taken yet, without waiting. */
  pending(to: string): ReceivedMail[];
  close(): Promise<void>;
}

const LINK = /https?:\/\/[^\s<>"']+/g;

function tokenOf(links: string[]): string | null {
  for (const link of links) {
    const match = /#token=([^&\s]+)/.exec(link);
    if (match?.[1]) return decodeURIComponent(match[1]);
  }
  return null;
}

/**
 * A real SMTP server on a loopback port (smtp-server), parsing what it receives (mailparser):
 * tests point `createSmtpMailer` (or `SMTP_URL`) at it and assert on the messages.
 *
 * @example
 * const smtp = await startTestSMTPServer();
 * const auth = createAuth({ ..., mailer: createSmtpMailer({ url: smtp.url, from: "t@localhost" }) });
 * const mail = await smtp.take("ann@example.com"); // mail.subject, mail.token
 */
export async function startTestSMTPServer(): Promise<TestSMTPServer> {
  const messages: ReceivedMail[] = [];
  const taken = new Set<ReceivedMail>();
  const state = { failing: false };
  const server = new SMTPServer({
    // Plain SMTP with AUTH, so a URL's credentials are exercised without a certificate.
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === "test" && auth.password === "test") callback(null, { user: "test" });
      else callback(new Error("Invalid username or password"));
    },
    onData(stream, session, callback) {
      simpleParser(stream, (error: unknown, parsed) => {
        if (error) return callback(error instanceof Error ? error : new Error(String(error)));
        if (state.failing) return callback(Object.assign(new Error("Mailbox unavailable"), { responseCode: 550 }));
        const text = parsed.text ?? "";
        const links = text.match(LINK) ?? [];
        messages.push({
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase()),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          subject: parsed.subject ?? "",
          text,
          html: typeof parsed.html === "string" ? parsed.html : "",
          links,
          token: tokenOf(links),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  const pending = (to: string) => messages.filter((mail) => !taken.has(mail) && mail.to.includes(to.toLowerCase()));
  return {
    url: `smtp://test:test@127.0.0.1:${port}`,
    messages,
    get failing() {
      return state.failing;
    },
    set failing(value: boolean) {
      state.failing = value;
    },
    pending,
    async take(to, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const [mail] = pending(to);
        if (mail) {
          taken.add(mail);
          return mail;
        }
        if (Date.now() > deadline) throw new Error(`no mail to ${to} within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
