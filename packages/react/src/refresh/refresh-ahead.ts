import type { SignedInSession } from "../session/session-store.ts";
import type { RefreshAccessToken } from "./refresh-access-token.ts";

// Refresh this long before expiry, but only for tokens that live well beyond it; short-lived
// tokens are refreshed on demand when a call reports TOKEN_EXPIRED.
const REFRESH_AHEAD_MS = 30_000;
const MIN_LIFETIME_FOR_AHEAD_MS = 60_000;
// setTimeout fires at once for delays past 2^31-1 ms (about 24.8 days).
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Refreshes `session`'s token shortly before it expires, so a long-lived token never lapses
 * mid-call. Returns the function that cancels it.
 *
 * @example const cancel = refreshAhead(session, refreshAccessToken);
 */
export function refreshAhead(session: SignedInSession, refreshAccessToken: RefreshAccessToken): () => void {
  const remaining = session.localExpiresAt - Date.now();
  if (remaining < MIN_LIFETIME_FOR_AHEAD_MS) return () => {};
  const delay = Math.min(remaining - REFRESH_AHEAD_MS, MAX_TIMER_MS);
  const timer = setTimeout(() => void refreshAccessToken(session.accessToken), delay);
  return () => clearTimeout(timer);
}
