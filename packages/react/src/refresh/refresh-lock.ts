const LOCK_NAME = "bk-refresh";

// Tasks of this tab running under the lock. Reentrant within the tab: a sign-out holds the lock
// across its logout call, and that call may need a refresh (an expired token) that would
// otherwise wait for the lock its own caller holds, for ever. Other tabs still wait.
let held = 0;

async function holding<T>(task: (waited: boolean) => Promise<T>, waited: boolean): Promise<T> {
  held += 1;
  try {
    return await task(waited);
  } finally {
    held -= 1;
  }
}

/**
 * Runs `task` holding the cross-tab refresh lock, so only one tab of this browser rotates the
 * shared refresh cookie (or logs out) at a time. `waited` is true when another tab held the lock
 * first: it has probably just refreshed and is handing its token over on the session channel.
 *
 * @example await withRefreshLock(async (waited) => (waited ? reuseBroadcastToken() : refresh()));
 */
export async function withRefreshLock<T>(task: (waited: boolean) => Promise<T>): Promise<T> {
  if (held > 0) return task(false);
  // Web Locks exist only in secure contexts (https, localhost). Elsewhere each tab refreshes on
  // its own; the server's reuse interval keeps near-simultaneous refreshes from looking like theft.
  const locks: LockManager | undefined = typeof navigator === "undefined" ? undefined : navigator.locks;
  if (!locks) return task(false);
  const immediate = await locks.request(LOCK_NAME, { ifAvailable: true }, async (lock) =>
    lock ? { value: await holding(task, false) } : null,
  );
  if (immediate) return immediate.value;
  return locks.request(LOCK_NAME, () => holding(task, true));
}
