import type { Auth } from "../src/create-auth.ts";
import type { SessionCacheEvent } from "../src/sessions/session-cache.ts";

/** Resolves at the next `event` on `auth`'s cache. */
export function nextCacheEvent(auth: Auth, event: SessionCacheEvent): Promise<void> {
  return new Promise((resolve) => {
    const stop = auth.sessionCache.observe((seen) => {
      if (seen !== event) return;
      stop();
      resolve();
    });
  });
}

/** Resolves once `auth`'s revocation listener is subscribed (at once if it already is). */
export async function cacheListening(auth: Auth): Promise<void> {
  if (!auth.sessionCache.listening) await nextCacheEvent(auth, "subscribed");
}
