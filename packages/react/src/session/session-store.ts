import type { SessionUser } from "../trpc/router-types.ts";

/**
 * The browser's view of the session. The access token lives here, in memory only: never in
 * localStorage, sessionStorage or a readable cookie, where any injected script could take it.
 * A reload forgets it; the httpOnly refresh cookie brings it back (see `restoreSession`).
 */
export type Session =
  | { status: "restoring" }
  /** The restore got no answer (offline, 5xx, timeout): the session may well be fine; retrying. */
  | { status: "unavailable" }
  | { status: "signed-out"; reason: SignOutReason | null }
  | {
      status: "signed-in";
      accessToken: string;
      /** When the server says the access token expires, for display. */
      expiresAt: Date;
      /** The same instant on this browser's clock (`Date.now()` based), for scheduling. */
      localExpiresAt: number;
      user: SessionUser;
    };

/**
 * Why a session ended, when the user should be told: `ended` (found revoked or expired on a
 * call), `elsewhere` (the server announced it was ended from another device), `reused` (the
 * refresh token was replayed, see `REFRESH_REUSED`), `deleted` (the account), `limit` (signed in
 * on more devices than the server allows, this one the least recently used).
 * `null` for a plain sign-out or a visitor who never had a session.
 */
export type SignOutReason = "ended" | "elsewhere" | "reused" | "deleted" | "limit";

/** The session while someone is signed in. */
export type SignedInSession = Extract<Session, { status: "signed-in" }>;

const RESTORING: Session = { status: "restoring" };
let current: Session = RESTORING;
const listeners = new Set<() => void>();

/**
 * A tiny external store, read by React through `useSyncExternalStore` and by the tRPC links directly.
 *
 * @example const token = sessionStore.accessToken();
 */
export const sessionStore = {
  get: (): Session => current,
  /** What the server renders: the session is only ever known in the browser. */
  getServerSnapshot: (): Session => RESTORING,
  accessToken: (): string | null => (current.status === "signed-in" ? current.accessToken : null),
  set(next: Session): void {
    current = next;
    for (const listener of listeners) listener();
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
