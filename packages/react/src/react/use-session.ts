import { useSyncExternalStore } from "react";
import type { Session } from "../session/session-store.ts";
import { useSessionClient } from "./use-session-client.ts";

/**
 * The current session, re-rendering on sign-in, refresh and sign-out. A server render sees
 * `restoring`: only the browser knows the session.
 *
 * @example const session = useSession(); if (session.status === "signed-in") greet(session.user.name);
 */
export function useSession(): Session {
  const client = useSessionClient();
  return useSyncExternalStore(client.subscribe, client.getSession, client.getServerSnapshot);
}
