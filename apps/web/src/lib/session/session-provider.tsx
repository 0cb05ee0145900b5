"use client";

import { useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useEffect } from "react";
import { refreshAccessToken } from "./refresh-access-token.ts";
import { restoreSession } from "./restore-session.ts";
import { sessionChannel } from "./session-channel.ts";
import { adoptSessionMessage } from "./session-transitions.ts";
import { useSession } from "./use-session.ts";

// Refresh this long before expiry, but only for tokens that live well beyond it; short-lived
// tokens are refreshed on demand when a call reports TOKEN_EXPIRED.
const REFRESH_AHEAD_MS = 30_000;
const MIN_LIFETIME_FOR_AHEAD_MS = 60_000;
// setTimeout fires at once for delays past 2^31-1 ms (about 24.8 days).
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Restores the session on load, follows the other tabs, refreshes ahead of expiry and drops
 * cached data on sign-out so the next account never sees the last one's.
 *
 * @example <SessionProvider><App /></SessionProvider>
 */
export function SessionProvider({ children }: { children: ReactNode }): ReactNode {
  const session = useSession();
  const queryClient = useQueryClient();

  useEffect(() => {
    void restoreSession();
    return sessionChannel.listen(adoptSessionMessage);
  }, []);

  useEffect(() => {
    if (session.status === "signed-out") queryClient.clear();
  }, [session.status, queryClient]);

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

  return children;
}
