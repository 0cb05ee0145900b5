/** The codes of `SessionError`, never a server's answer: misuse of the package. */
export type SessionErrorCode = "NO_SESSION_PROVIDER";

/**
 * Thrown on misuse, such as a session hook outside `<SessionProvider>`. Check `code`, not the message.
 *
 * @example if (error instanceof SessionError && error.code === "NO_SESSION_PROVIDER") mountProvider();
 */
export class SessionError extends Error {
  readonly code: SessionErrorCode;

  constructor(code: SessionErrorCode, message: string) {
    super(message);
    this.name = "SessionError";
    this.code = code;
  }
}
