import type { OutgoingMail } from "../mail/mailer.ts";
import { newDeviceSigninMail, passwordChangedMail, passwordResetDoneMail, refreshTokenReusedMail, type SigninPlace } from "../mail/alert-templates.ts";
import {
  confirmEmailChangeMail,
  emailChangedMail,
  emailChangeNoticeMail,
  passwordResetMail,
  recoveryCodesRegeneratedMail,
  passkeyAddedMail,
  passkeyRemovedMail,
  recoveryCodeUsedMail,
  registrationAttemptMail,
  totpDisabledMail,
  totpEnabledMail,
  verifyEmailMail,
} from "../mail/templates.ts";
import type { AuthConfig } from "../config/options.ts";
import type { SecondFactorMail } from "../second-factors/second-step.ts";
import type { PasskeyMail } from "../passkeys/passkey-management.ts";
import type { Background } from "./background.ts";

/** The messages the core sends; each is queued in the background, never awaited by a request. */
export interface RecoveryMail extends SecondFactorMail, PasskeyMail {
  reset(to: string, token: string): void;
  verify(to: string, token: string): void;
  confirmChange(to: string, token: string): void;
  changeNotice(to: string, newEmail: string): void;
  /** To the old address, once the change is done. */
  emailChanged(to: string, newEmail: string): void;
  registrationAttempt(to: string): void;
  /** A sign-in from a new device, with the "This wasn't me" link's token. */
  newDeviceSignin(to: string, place: SigninPlace, notMeToken: string): void;
  /** A reused refresh token ended its session; sent unless `alerts.refreshTokenReused` is off. */
  refreshTokenReused(to: string, place: SigninPlace): void;
  /** The password was changed (`changePassword`); sent unless `alerts.credentialChanges` is off. */
  passwordChanged(to: string, at: Date): void;
  /** The password was reset with a mailed link; sent unless `alerts.credentialChanges` is off. */
  passwordResetDone(to: string, at: Date): void;
}

export function createRecoveryMail(config: AuthConfig, background: Background): RecoveryMail {
  // The token rides in the fragment: browsers never send it to a server or put it in a Referer.
  const link = (page: string, token: string) => `${config.appUrl}/${page}#token=${encodeURIComponent(token)}`;
  const forgot = `${config.appUrl}/forgot-password`;

  let warnedNoMailer = false;

  function send(mail: OutgoingMail): void {
    const { mailer } = config;
    if (!mailer) {
      // Once per service, not per message: a host without mail (a test, an API-only use) is not an incident.
      if (!warnedNoMailer) config.onWarning("auth: no mailer is configured (the `mailer` option), so verification and reset mail is dropped", null);
      warnedNoMailer = true;
      return;
    }
    background.run(`auth: could not send "${mail.subject}"`, () => mailer.send(mail));
  }

  return {
    reset: (to, token) => send(passwordResetMail(to, link("reset-password", token), config.resetTtl)),
    verify: (to, token) => send(verifyEmailMail(to, link("verify-email", token))),
    confirmChange: (to, token) => send(confirmEmailChangeMail(to, link("verify-email", token))),
    changeNotice: (to, newEmail) => send(emailChangeNoticeMail(to, newEmail, forgot)),
    emailChanged: (to, newEmail) => send(emailChangedMail(to, newEmail)),
    registrationAttempt: (to) => send(registrationAttemptMail(to, forgot)),
    newDeviceSignin: (to, place, token) => send(newDeviceSigninMail(to, place, link("not-me", token))),
    refreshTokenReused: (to, place) => {
      if (config.alerts.refreshTokenReused) send(refreshTokenReusedMail(to, place, forgot));
    },
    passwordChanged: (to, at) => {
      if (config.alerts.credentialChanges) send(passwordChangedMail(to, at, forgot));
    },
    passwordResetDone: (to, at) => {
      if (config.alerts.credentialChanges) send(passwordResetDoneMail(to, at, forgot));
    },
    totpEnabled: (to) => send(totpEnabledMail(to)),
    totpDisabled: (to) => send(totpDisabledMail(to)),
    recoveryCodesRegenerated: (to) => send(recoveryCodesRegeneratedMail(to)),
    recoveryCodeUsed: (to, left) => send(recoveryCodeUsedMail(to, left)),
    passkeyAdded: (to, name) => send(passkeyAddedMail(to, name)),
    passkeyRemoved: (to, name) => send(passkeyRemovedMail(to, name)),
  };
}
