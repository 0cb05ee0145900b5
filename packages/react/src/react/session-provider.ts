"use client";

import { type QueryClient, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useEffect } from "react";
import { followSessionEvents } from "./follow-session-events.ts";
import { refreshAccessToken } from "./refresh-access-token.ts";
import { restoreSession, retryRestoreNow } from "./restore-session.ts";
import { sessionChannel } from "./session-channel.ts";
import { type Session, sessionStore } from "./session-store.ts";
import { adoptSessionMessage } from "./session-transitions.ts";
import { useSession } from "./use-session.ts";

// Refresh this long before expiry, but only for tokens that live well beyond it; short-lived
// tokens are refreshed on demand when a call reports TOKEN_EXPIRED.
const REFRESH_AHEAD_MS = 30_000;
const MIN_LIFETIME_FOR_AHEAD_MS = 60_000;
// setTimeout fires at once for delays past 2^31-1 ms (about 24.8 days).
const MAX_TIMER_MS = 2_147_483_647;

const userIdOf = (session: Session): string | null => (session.status === "signed-in" ? session.user.id : null);

/**
 * Drops every cached query the moment the signed-in user changes (sign-out, or another tab
 * signing in as someone else), synchronously, before React renders the next user's page with
 * the last one's data.
 */
function forgetDataOnUserChange(queryClient: QueryClient): () => void {
  let userId = userIdOf(sessionStore.get());
  return sessionStore.subscribe(() => {
    const next = userIdOf(sessionStore.get());
    if (next === userId) return;
    if (userId !== null) {
      void queryClient.cancelQueries();
      queryClient.removeQueries();
    }
    userId = next;
  });
}

/**
 * Restores the session on load, follows the other tabs, refreshes ahead of expiry, hears at
 * once when the server ends the session (`followSessionEvents`), and drops cached data when
 * the user changes so the next account never sees the last one's.
 *
 * @example <SessionProvider><App /></SessionProvider>
 */
export function SessionProvider({ children }: { children: ReactNode }): ReactNode {
  const session = useSession();
  const queryClient = useQueryClient();

  useEffect(() => {
    void restoreSession();
    const stopListening = sessionChannel.listen(adoptSessionMessage);
    window.addEventListener("online", retryRestoreNow);
    return () => {
      stopListening();
      window.removeEventListener("online", retryRestoreNow);
    };
  }, []);

  useEffect(() => forgetDataOnUserChange(queryClient), [queryClient]);

  const token = session.status === "signed-in" ? session.accessToken : null;
  const localExpiresAt = session.status === "signed-in" ? session.localExpiresAt : 0;
  useEffect(() => {
    if (token === null) return;
    const remaining = localExpiresAt - Date.now();
    if (remaining < MIN_LIFETIME_FOR_AHEAD_MS) return;
    const delay = Math.min(remaining - REFRESH_AHEAD_MS, MAX_TIMER_MS);
    const timer = setTimeout(() => void refreshAccessToken(token), delay);
    return () => clearTimeout(timer);
  }, [token, localExpiresAt]);

  // One stream per token: a refresh replaces both, a sign-out closes it.
  useEffect(() => (token === null ? undefined : followSessionEvents(token)), [token]);

  return children;
}
