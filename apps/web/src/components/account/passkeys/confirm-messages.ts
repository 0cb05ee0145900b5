/** The API's refusals of a passkey change's confirmation, said for the form that asked. */
export const CONFIRM_MESSAGES: Readonly<Record<string, string>> = {
  INVALID_CREDENTIALS: "Your password is incorrect.",
  SECOND_FACTOR_INVALID: "That code or passkey did not confirm it is you. Try again.",
};
