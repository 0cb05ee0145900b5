import { randomUUID } from "node:crypto";
import type { Mailer, OutgoingMail } from "./mailer.ts";

/** A message the dev mailbox received, with the links found in its text body. */
export interface StoredMail extends OutgoingMail {
  id: string;
  sentAt: Date;
  links: string[];
}

/** A mailer that keeps messages in memory for the demo's `/dev/mailbox` page. */
export interface DevMailbox extends Mailer {
  /** The messages received, newest first. */
  list(): StoredMail[];
}

/** The mailbox keeps only this many messages: it is memory, and nobody reads old demo mail. */
export const DEV_MAILBOX_LIMIT = 100;

const LINK = /https?:\/\/[^\s<>"']+/g;

/**
 * The zero-config mailer: with no `SMTP_URL`, mail lands here so every flow can be finished
 * locally. It holds tokens that sign people in, so the host must serve it to loopback only and
 * never when real mail is configured (`createAuthFromEnv` returns it only when `SMTP_URL` is unset).
 *
 * @example const mailbox = createDevMailbox(); await mailbox.send(mail); mailbox.list()[0]?.links;
 */
export function createDevMailbox(): DevMailbox {
  const messages: StoredMail[] = [];
  return {
    async send(mail) {
      messages.unshift({ ...mail, id: randomUUID(), sentAt: new Date(), links: mail.text.match(LINK) ?? [] });
      messages.length = Math.min(messages.length, DEV_MAILBOX_LIMIT);
    },
    list: () => messages.map((message) => ({ ...message, links: [...message.links] })),
  };
}
