/** One message as the core composes it: every message has a plain-text and an HTML body. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * Where the core sends mail. `send` may throw: the core calls it off the request path and
 * logs a failure, so a broken mail server never turns into a 500 (see `AuthOptions.onWarning`).
 *
 * @example const mailer: Mailer = { send: async (mail) => console.log(mail.to, mail.subject) };
 */
export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
}
