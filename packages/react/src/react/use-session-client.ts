import { useContext } from "react";
import type { SessionControls } from "../create-session-client.ts";
import { SessionError } from "../errors/session-error.ts";
import { SessionContext } from "./session-context.ts";

/**
 * The session client `<SessionProvider>` was given, for its actions.
 *
 * @example const session = useSessionClient(); <button onClick={() => void session.signOut()}>Sign out</button>
 */
export function useSessionClient(): SessionControls {
  const client = useContext(SessionContext);
  if (client === null) throw new SessionError("NO_SESSION_PROVIDER", "Session hooks must be used inside <SessionProvider>.");
  return client;
}
