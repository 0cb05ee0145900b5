import type { Session } from "@bearer-kit/react/client";

/** What the sign-in page says about how the last session ended. */
export interface SignOutNotice {
  tone: "error" | "success";
  message: string;
}

const NOTICES = {
  ended: { tone: "error", message: "Your session has ended. Please sign in again." },
  elsewhere: { tone: "error", message: "You were signed out from another device." },
  reused: {
    tone: "error",
    message: "For your safety this session was ended because its sign-in token was used twice. Sign in again.",
  },
  deleted: { tone: "success", message: "Your account has been deleted." },
  limit: {
    tone: "error",
    message: "You were signed out here because your account signed in on more devices than allowed. Sign in again.",
  },
} as const satisfies Record<string, SignOutNotice>;

/**
 * The notice for a session that just ended, or `null`: a redirect to /signin is never silent.
 *
 * @example const notice = signOutNotice(session); <FormAlert tone={notice?.tone} message={notice?.message ?? null} />
 */
export function signOutNotice(session: Session): SignOutNotice | null {
  if (session.status !== "signed-out" || session.reason === null) return null;
  return NOTICES[session.reason];
}
