import { useSyncExternalStore } from "react";
import { type Session, sessionStore } from "./session-store.ts";

/**
 * The current session, re-rendering on sign-in, refresh and sign-out.
 *
 * @example const session = useSession(); if (session.status === "signed-in") greet(session.user.name);
 */
export function useSession(): Session {
  return useSyncExternalStore(sessionStore.subscribe, sessionStore.get, sessionStore.getServerSnapshot);
}
