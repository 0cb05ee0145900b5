import type { TRPCClient } from "@trpc/client";
import type { AppRouter } from "@bearer-kit/api";
import { readAuthError } from "../auth-error.ts";
import { withRefreshLock } from "./refresh-lock.ts";
import { isSessionEnded } from "./session-ended.ts";
import { endSession } from "./session-transitions.ts";

// Sign-outs of this tab in flight: the server announces the session's end to every listener,
// this tab's own included, before the logout call returns.
let inFlight = 0;

/**
 * True while this tab is signing out: news that the session ended is then its own doing.
 *
 * @example if (isSigningOut()) return; // the sign-out in progress settles the session
 */
export function isSigningOut(): boolean {
  return inFlight > 0;
}

/**
 * Logs out (this session, or every session) and signs every tab out. Holds the cross-tab
 * refresh lock meanwhile, so no tab's refresh can land between the server's logout and the
 * broadcast and bring the session back. Rethrows failures other than "already ended".
 *
 * @example await signOut(utils.client, { everywhere: false });
 */
export async function signOut(client: TRPCClient<AppRouter>, options: { everywhere: boolean }): Promise<void> {
  inFlight += 1;
  try {
    await withRefreshLock(() => signOutHoldingLock(client, options));
  } finally {
    inFlight -= 1;
  }
}

async function signOutHoldingLock(client: TRPCClient<AppRouter>, options: { everywhere: boolean }): Promise<void> {
  try {
    await client.auth.logout.mutate({ everywhere: options.everywhere });
  } catch (error) {
    if (!isSessionEnded(readAuthError(error))) throw error;
  }
  // Every tab shares the refresh cookie the server just cleared, so all of them sign out.
  endSession({ broadcast: true, reason: null });
}
