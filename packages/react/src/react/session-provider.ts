import { createElement, type ReactNode, useEffect } from "react";
import type { SessionControls } from "../create-session-client.ts";
import type { Session } from "../session/session-store.ts";
import { SessionContext } from "./session-context.ts";

/** What `<SessionProvider>` clears when the user changes: a TanStack `QueryClient` fits. */
export interface UserDataCache {
  cancelQueries(): Promise<unknown>;
  removeQueries(): void;
}

export interface SessionProviderProps {
  /** From `createSessionClient`: one per tab, created outside React or once in a `useState`. */
  client: SessionControls;
  /** Cached API data to drop the moment the signed-in user changes, e.g. your `QueryClient`. */
  queryClient?: UserDataCache;
  children?: ReactNode;
}

const userIdOf = (session: Session): string | null => (session.status === "signed-in" ? session.user.id : null);

/**
 * Drops every cached query the moment the signed-in user changes (sign-out, or another tab
 * signing in as someone else), synchronously, before React renders the next user's page with
 * the last one's data.
 */
function forgetDataOnUserChange(client: SessionControls, cache: UserDataCache): () => void {
  let userId = userIdOf(client.getSession());
  return client.subscribe(() => {
    const next = userIdOf(client.getSession());
    if (next === userId) return;
    if (userId !== null) {
      void cache.cancelQueries();
      cache.removeQueries();
    }
    userId = next;
  });
}

/**
 * Runs the session for the components below: restores it on load, follows the other tabs,
 * refreshes ahead of expiry, hears at once when the server ends it, and drops `queryClient`'s
 * data when the user changes so the next account never sees the last one's.
 *
 * @example <SessionProvider client={session} queryClient={queryClient}><App /></SessionProvider>
 */
export function SessionProvider({ client, queryClient, children }: SessionProviderProps): ReactNode {
  useEffect(() => client.start(), [client]);
  useEffect(() => (queryClient ? forgetDataOnUserChange(client, queryClient) : undefined), [client, queryClient]);
  return createElement(SessionContext.Provider, { value: client }, children);
}
