import type { SessionUser } from "../transport/router-types.ts";
import type { TokenScheme } from "../transport/transport-headers.ts";

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
      /** `DPoP` when the server bound the token to this browser's key: it is sent with a proof. */
      tokenType: TokenScheme;
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

/** A tiny external store, read by React through `useSyncExternalStore` and by the tRPC links directly. */
export interface SessionStore {
  get(): Session;
  /** What a server render sees: the session is only ever known in the browser. */
  getServerSnapshot(): Session;
  accessToken(): string | null;
  /** How the current access token is sent (`Bearer` when there is none). */
  tokenType(): TokenScheme;
  set(next: Session): void;
  subscribe(listener: () => void): () => void;
}

const RESTORING: Session = { status: "restoring" };

/**
 * One tab's session, starting as "restoring" until the refresh cookie has been tried.
 *
 * @example const store = createSessionStore(); store.subscribe(() => console.info(store.get().status));
 */
export function createSessionStore(): SessionStore {
  let current: Session = RESTORING;
  const listeners = new Set<() => void>();
  return {
    get: () => current,
    getServerSnapshot: () => RESTORING,
    accessToken: () => (current.status === "signed-in" ? current.accessToken : null),
    tokenType: () => (current.status === "signed-in" ? current.tokenType : "Bearer"),
    set(next) {
      current = next;
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
