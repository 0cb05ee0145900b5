import type { AppRouter } from "@bearer-kit/api";
import type { TRPCClient } from "@trpc/client";
import { readAuthError } from "../errors/read-auth-error.ts";
import { isSessionEnded } from "../errors/session-ended.ts";
import type { RefreshLock } from "../refresh/refresh-lock.ts";
import type { SessionTransitions } from "../session/session-transitions.ts";

/** Sign-out of this session or of every session; see `createSignOut`. */
export interface SignOut {
  /** Logs out `{ everywhere }` and signs every tab of this browser out. */
  signOut(options: { everywhere: boolean }): Promise<void>;
  /** True while this tab is signing out: news that the session ended is then its own doing. */
  isSigningOut(): boolean;
}

/**
 * Sign-out through `client` (which calls as the session, so an expired token is refreshed
 * first). It holds the cross-tab refresh lock meanwhile, so no tab's refresh can land between
 * the server's logout and the broadcast and bring the session back. Rethrows failures other
 * than "already ended".
 *
 * @example await createSignOut({ client, lock, transitions }).signOut({ everywhere: false });
 */
export function createSignOut(parts: {
  client: TRPCClient<AppRouter>;
  lock: RefreshLock;
  transitions: SessionTransitions;
  /** Deletes the DPoP key, when the session has one. */
  forgetKey?: () => Promise<void>;
}): SignOut {
  const { client, lock, transitions, forgetKey } = parts;
  // Sign-outs of this tab in flight: the server announces the session's end to every listener,
  // this tab's own included, before the logout call returns.
  let inFlight = 0;

  async function signOutHoldingLock(options: { everywhere: boolean }): Promise<void> {
    try {
      await client.auth.logout.mutate({ everywhere: options.everywhere });
    } catch (error) {
      if (!isSessionEnded(readAuthError(error))) throw error;
    }
    // Before the broadcast, so the other tabs, which drop their copy of the key when they hear
    // it, read the store after the key is gone. A token copied before sign-out dies with the key.
    await forgetKey?.();
    // Every tab shares the refresh cookie the server just cleared, so all of them sign out.
    transitions.endSession({ broadcast: true, reason: null });
  }

  return {
    isSigningOut: () => inFlight > 0,
    async signOut(options) {
      inFlight += 1;
      try {
        await lock.run(() => signOutHoldingLock(options));
      } finally {
        inFlight -= 1;
      }
    },
  };
}
