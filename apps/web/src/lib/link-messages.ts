/** What a page that consumes an emailed link tells the person when the link does not work. */
export interface LinkMessages {
  LINK_EXPIRED: string;
  LINK_USED: string;
  LINK_INVALID: string;
}

/** The link error codes, which end a link's page: retrying the same link cannot help. */
export const LINK_ERROR_CODES: ReadonlySet<string> = new Set(["LINK_EXPIRED", "LINK_USED", "LINK_INVALID"]);

/**
 * Overrides for `friendlyMessage` on the reset page.
 *
 * @example friendlyMessage(error, RESET_LINK_MESSAGES)
 */
export const RESET_LINK_MESSAGES: LinkMessages = {
  LINK_EXPIRED: "This reset link has expired. Ask for a new one.",
  LINK_USED: "This reset link has already been used, or a newer one replaced it.",
  LINK_INVALID:
    "This reset link is not valid: it may be incomplete, or your password or email changed (or you signed out everywhere) after it was sent.",
};

/**
 * Overrides for `friendlyMessage` on the verification page.
 *
 * @example friendlyMessage(error, VERIFY_LINK_MESSAGES)
 */
export const VERIFY_LINK_MESSAGES: LinkMessages = {
  LINK_EXPIRED: "This verification link has expired. Sign in and send yourself a new one from your account page.",
  LINK_USED: "This verification link has already been used, or a newer one replaced it.",
  LINK_INVALID:
    "This verification link is not valid: it may be incomplete, or your password or email changed (or you signed out everywhere) after it was sent.",
};

/**
 * Overrides for `friendlyMessage` on the "This wasn't me" page of a new-device alert.
 *
 * @example friendlyMessage(error, NOT_ME_LINK_MESSAGES)
 */
export const NOT_ME_LINK_MESSAGES: LinkMessages = {
  LINK_EXPIRED: "This link has expired (it works for 24 hours). If you still do not recognise the sign-in, reset your password.",
  LINK_USED: "This link has already been used, or a newer alert replaced it. If you still do not recognise the sign-in, reset your password.",
  LINK_INVALID:
    "This link is not valid: it may be incomplete, or your password or email changed (or you signed out everywhere) after it was sent.",
};
