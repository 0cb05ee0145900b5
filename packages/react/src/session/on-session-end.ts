import type { SessionStore, SignOutReason } from "./session-store.ts";

/**
 * Calls `listener` each time a signed-in session of this tab ends (a sign-out here or in another
 * tab, a revocation, the account deleted), with the reason to show, if any. Returns the function
 * that stops listening.
 *
 * @example onSessionEnd(store, (reason) => router.replace(reason ? `/signin?reason=${reason}` : "/signin"));
 */
export function onSessionEnd(store: SessionStore, listener: (reason: SignOutReason | null) => void): () => void {
  let signedIn = store.get().status === "signed-in";
  return store.subscribe(() => {
    const session = store.get();
    const wasSignedIn = signedIn;
    signedIn = session.status === "signed-in";
    if (wasSignedIn && session.status === "signed-out") listener(session.reason);
  });
}
