/**
 * The security alerts mailed to an account's owner (see docs/security-events.md). They say what
 * happened, when, and from where, so the owner can tell their own action from someone else's.
 */
import type { OutgoingMail } from "./mailer.ts";
import { compose } from "./templates.ts";

/** Where a sign-in came from, as the alert shows it. */
export interface SigninPlace {
  at: Date;
  /** The browser and OS family, e.g. "Firefox on Windows". */
  device: string;
  ipAddress: string | null;
}

const when = (at: Date): string => at.toUTCString();

export function newDeviceSigninMail(to: string, place: SigninPlace, notMeLink: string): OutgoingMail {
  return compose({
    to,
    subject: "New sign-in to your account",
    paragraphs: [
      `Your account was signed in to from a device it had not used recently: ${place.device}, address ${place.ipAddress ?? "unknown"}, on ${when(place.at)}.`,
      "If this was you, there is nothing to do.",
      "If it was not, use the link below: it signs your account out everywhere and lets you choose a new password. It works once, for 24 hours.",
    ],
    link: { href: notMeLink, label: "This wasn't me" },
  });
}

export function refreshTokenReusedMail(to: string, place: SigninPlace, forgotLink: string): OutgoingMail {
  return compose({
    to,
    subject: "We ended a session as a precaution",
    paragraphs: [
      `A sign-in of your account (${place.device}, address ${place.ipAddress ?? "unknown"}) presented a token that had already been used, on ${when(place.at)}. That happens when a token is copied, so we ended that session. Your other sessions are not affected.`,
      "If you were simply signed out on that device, sign in again. If you do not recognise it, reset your password: that signs everyone else out.",
    ],
    link: { href: forgotLink, label: "Reset my password" },
  });
}

export function passwordChangedMail(to: string, at: Date, forgotLink: string): OutgoingMail {
  return compose({
    to,
    subject: "Your password was changed",
    paragraphs: [
      `The password of your account was changed on ${when(at)}. Every other session was signed out.`,
      "If you did not change it, reset your password now: that signs everyone else out.",
    ],
    link: { href: forgotLink, label: "Reset my password" },
  });
}

export function passwordResetDoneMail(to: string, at: Date, forgotLink: string): OutgoingMail {
  return compose({
    to,
    subject: "Your password was reset",
    paragraphs: [
      `The password of your account was reset with a link mailed to this address, on ${when(at)}. Every session that was open was signed out.`,
      "If you did not do this, someone can read this mailbox: secure it, then reset your password again.",
    ],
    link: { href: forgotLink, label: "Reset my password" },
  });
}
