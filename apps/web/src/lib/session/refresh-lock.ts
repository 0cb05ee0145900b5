const LOCK_NAME = "bk-refresh";

/**
 * Runs `task` holding the cross-tab refresh lock, so only one tab of this browser rotates the
 * shared refresh cookie at a time. `waited` is true when another tab held the lock first: it
 * has probably just refreshed and is handing its token over on the session channel.
 *
 * @example await withRefreshLock(async (waited) => (waited ? reuseBroadcastToken() : refresh()));
 */
export async function withRefreshLock<T>(task: (waited: boolean) => Promise<T>): Promise<T> {
  // Web Locks exist only in secure contexts (https, localhost). Elsewhere each tab refreshes on
  // its own; the server's reuse interval keeps near-simultaneous refreshes from looking like theft.
  const locks: LockManager | undefined = typeof navigator === "undefined" ? undefined : navigator.locks;
  if (!locks) return task(false);
  const immediate = await locks.request(LOCK_NAME, { ifAvailable: true }, async (lock) =>
    lock ? { value: await task(false) } : null,
  );
  if (immediate) return immediate.value;
  return locks.request(LOCK_NAME, () => task(true));
}
