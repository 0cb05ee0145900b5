import type { OutgoingMail } from "../mail/mailer.ts";
import {
  confirmEmailChangeMail,
  emailChangeNoticeMail,
  passwordResetMail,
  registrationAttemptMail,
  verifyEmailMail,
} from "../mail/templates.ts";
import type { AuthConfig } from "../options.ts";
import type { Background } from "./background.ts";

/** The messages the core sends; each is queued in the background, never awaited by a request. */
export interface RecoveryMail {
  reset(to: string, token: string): void;
  verify(to: string, token: string): void;
  confirmChange(to: string, token: string): void;
  changeNotice(to: string, newEmail: string): void;
  registrationAttempt(to: string): void;
}

export function createRecoveryMail(config: AuthConfig, background: Background): RecoveryMail {
  // The token rides in the fragment: browsers never send it to a server or put it in a Referer.
  const link = (page: string, token: string) => `${config.appUrl}/${page}#token=${encodeURIComponent(token)}`;
  const forgot = `${config.appUrl}/forgot-password`;

  function send(mail: OutgoingMail): void {
    background.run(`auth: could not send "${mail.subject}"`, async () => {
      if (!config.mailer) throw new Error("no mailer is configured (pass `mailer` to createAuth)");
      await config.mailer.send(mail);
    });
  }

  return {
    reset: (to, token) => send(passwordResetMail(to, link("reset-password", token), config.resetTtl)),
    verify: (to, token) => send(verifyEmailMail(to, link("verify-email", token))),
    confirmChange: (to, token) => send(confirmEmailChangeMail(to, link("verify-email", token))),
    changeNotice: (to, newEmail) => send(emailChangeNoticeMail(to, newEmail, forgot)),
    registrationAttempt: (to) => send(registrationAttemptMail(to, forgot)),
  };
}
