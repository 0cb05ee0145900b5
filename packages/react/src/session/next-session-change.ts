import type { SessionStore } from "./session-store.ts";

/**
 * Resolves at the next change of the session store (another tab's refresh or sign-out landed),
 * or after `timeoutMs`, whichever comes first.
 *
 * @example await nextSessionChange(store, 2_000);
 */
export function nextSessionChange(store: SessionStore, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    const unsubscribe = store.subscribe(done);
  });
}
