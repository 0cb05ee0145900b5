import type { OutgoingMail } from "./mailer.ts";

const ESCAPES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Every value put into HTML goes through this: addresses and names are the user's own text. */
export function escapeHTML(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

export interface Body {
  to: string;
  subject: string;
  /** Paragraphs of plain text; each is escaped for the HTML body. */
  paragraphs: string[];
  link?: { href: string; label: string };
}

/** Plain text and a simple HTML body from the same paragraphs, so the two never disagree. */
export function compose({ to, subject, paragraphs, link }: Body): OutgoingMail {
  const text = [...paragraphs, ...(link ? [`${link.label}: ${link.href}`] : [])].join("\n\n");
  const html = [
    ...paragraphs.map((paragraph) => `<p>${escapeHTML(paragraph)}</p>`),
    ...(link ? [`<p><a href="${escapeHTML(link.href)}">${escapeHTML(link.label)}</a></p>`] : []),
  ].join("\n");
  return { to, subject, text: `${text}\n`, html: `<!doctype html>\n<html><body>\n${html}\n</body></html>\n` };
}

const IGNORE = "If you did not ask for this, you can ignore this message.";

function minutes(seconds: number): string {
  const count = Math.round(seconds / 60);
  return count === 1 ? "1 minute" : `${count} minutes`;
}

export function passwordResetMail(to: string, link: string, ttl: number): OutgoingMail {
  return compose({
    to,
    subject: "Reset your password",
    paragraphs: [`Someone asked to reset the password of your account. The link works once, for ${minutes(ttl)}.`, IGNORE],
    link: { href: link, label: "Set a new password" },
  });
}

export function verifyEmailMail(to: string, link: string): OutgoingMail {
  return compose({
    to,
    subject: "Verify your email address",
    paragraphs: ["Confirm that this address is yours. The link works once, for 24 hours.", IGNORE],
    link: { href: link, label: "Verify my email" },
  });
}

export function confirmEmailChangeMail(to: string, link: string): OutgoingMail {
  return compose({
    to,
    subject: "Confirm your new email address",
    paragraphs: ["Confirm this address to make it your account's email. The link works once, for 24 hours.", IGNORE],
    link: { href: link, label: "Confirm my new email" },
  });
}

export function emailChangeNoticeMail(to: string, newEmail: string, forgotLink: string): OutgoingMail {
  return compose({
    to,
    subject: "Your account's email is about to change",
    paragraphs: [
      `Someone signed in to your account asked to change its email to ${newEmail}. It changes only when that address confirms.`,
      "If this was not you, reset your password now: that signs everyone else out.",
    ],
    link: { href: forgotLink, label: "Reset my password" },
  });
}

export function emailChangedMail(to: string, newEmail: string): OutgoingMail {
  return compose({
    to,
    subject: "Your account's email was changed",
    paragraphs: [
      `The email of your account was changed to ${newEmail}. Sign-in, password resets and notices now go to that address, not this one.`,
      "If you did not make this change, someone else may control your account: contact the site's support at once and quote this message. A password reset requested from this address no longer reaches the account.",
    ],
  });
}

export function registrationAttemptMail(to: string, forgotLink: string): OutgoingMail {
  return compose({
    to,
    subject: "Someone tried to register with your address",
    paragraphs: [
      "Someone tried to create an account with this email address, which already has one. No new account was created.",
      "If it was you, sign in instead; if you forgot your password, reset it.",
      IGNORE,
    ],
    link: { href: forgotLink, label: "Reset my password" },
  });
}

const NOT_YOU =
  "If this was not you, someone knows your password and can read your codes: reset your password now, which signs everyone else out, then check your two-step verification.";

export function totpEnabledMail(to: string): OutgoingMail {
  return compose({
    to,
    subject: "Two-step verification is on",
    paragraphs: [
      "Two-step verification was turned on for your account: signing in now asks for a code from your authenticator app, or one of your recovery codes.",
      "Keep the recovery codes somewhere safe: they are the way in if you lose your phone.",
      NOT_YOU,
    ],
  });
}

export function totpDisabledMail(to: string): OutgoingMail {
  return compose({
    to,
    subject: "Two-step verification is off",
    paragraphs: ["Two-step verification was turned off for your account: signing in needs only your password again.", NOT_YOU],
  });
}

export function recoveryCodesRegeneratedMail(to: string): OutgoingMail {
  return compose({
    to,
    subject: "Your recovery codes were replaced",
    paragraphs: ["A new set of recovery codes was made for your account. The old codes no longer work.", NOT_YOU],
  });
}

export function recoveryCodeUsedMail(to: string, left: number): OutgoingMail {
  const count = left === 1 ? "1 recovery code left" : `${left} recovery codes left`;
  return compose({
    to,
    subject: "A recovery code was used",
    paragraphs: [
      `One of your recovery codes was just used for your account. Each works once: you have ${count}.`,
      left <= 3 ? "Make a new set soon, from your account page, so you are not locked out if you lose your phone." : "",
      NOT_YOU,
    ].filter((paragraph) => paragraph !== ""),
  });
}

const NOT_YOU_PASSKEY =
  "If this was not you, someone can sign in to your account: reset your password now, which signs everyone else out, then remove the passkeys you do not recognize.";

export function passkeyAddedMail(to: string, name: string): OutgoingMail {
  return compose({
    to,
    subject: "A passkey was added",
    paragraphs: [
      `A passkey named "${name}" was added to your account: it can now sign you in without your password, and complete the second step after it.`,
      NOT_YOU_PASSKEY,
    ],
  });
}

export function passkeyRemovedMail(to: string, name: string): OutgoingMail {
  return compose({
    to,
    subject: "A passkey was removed",
    paragraphs: [`The passkey named "${name}" was removed from your account: it no longer signs you in.`, NOT_YOU_PASSKEY],
  });
}
