/**
 * The part of the Web Locks API (`navigator.locks`) the session uses. Structural, so a browser's
 * `LockManager` fits, and so does a stand-in where there is none (Node before 24, tests).
 */
export interface SessionLocks {
  request<T>(name: string, options: { ifAvailable: boolean }, callback: (lock: object | null) => Promise<T>): Promise<T>;
}

/** Runs tasks holding one cross-tab lock; see `createRefreshLock`. */
export interface RefreshLock {
  run<T>(task: (waited: boolean) => Promise<T>): Promise<T>;
}

// Web Locks exist only in secure contexts (https, localhost) of a browser.
function browserLocks(): SessionLocks | undefined {
  return typeof navigator === "undefined" ? undefined : navigator.locks;
}

/**
 * The lock named `name`, so only one tab of this browser rotates the shared refresh cookie (or
 * logs out) at a time. `run(task)` calls `task` holding it; `waited` is true when another tab
 * held the lock first: it has probably just refreshed and is handing its token over on the
 * session channel.
 *
 * @example await createRefreshLock({ name: "bk-refresh" }).run(async (waited) => (waited ? reuseBroadcastToken() : refresh()));
 */
export function createRefreshLock(options: { name: string; locks?: SessionLocks }): RefreshLock {
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

  return {
    async run(task) {
      if (held > 0) return task(false);
      // Without Web Locks each tab refreshes on its own; the server's reuse interval keeps
      // near-simultaneous refreshes from looking like theft.
      const locks = options.locks ?? browserLocks();
      if (!locks) return task(false);
      const immediate = await locks.request(options.name, { ifAvailable: true }, async (lock) =>
        lock ? { value: await holding(task, false) } : null,
      );
      if (immediate) return immediate.value;
      return locks.request(options.name, { ifAvailable: false }, () => holding(task, true));
    },
  };
}
