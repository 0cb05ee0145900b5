/**
 * A copy of something read from the database (the key set), reloaded on demand, one load at a time.
 *
 * Ordering, as in the session cache (sessions/session-cache-entries.ts): a load that read the table before a
 * change committed must not install its copy after the change was announced. For the key set
 * that change is a retirement, and a stale copy would trust the retired key again until the next
 * reload. So every `expire` bumps a generation; a load started under an older one is thrown away
 * and read again, and callers arriving after the `expire` never join it.
 */
export interface Reloader<T> {
  /** The installed copy, if any. */
  readonly current: T | undefined;
  /** Loads and installs a copy; concurrent callers share one load of the current generation. */
  reload(): Promise<T>;
  /** Forgets the copy. A load already under way will not install what it read. */
  expire(): void;
}

/**
 * @example
 * const keys = createReloader(() => readKeys(db));
 * notifications.on("retired", () => keys.expire());
 * const snapshot = keys.current ?? (await keys.reload());
 */
export function createReloader<T>(load: () => Promise<T>): Reloader<T> {
  let current: T | undefined;
  let generation = 0;
  let loading: { generation: number; promise: Promise<T> } | undefined;

  function reload(): Promise<T> {
    if (loading?.generation === generation) return loading.promise;
    const started = generation;
    const promise = load().then((loaded): T | Promise<T> => {
      // Expired while reading: the read may predate what was announced, so read again.
      if (started !== generation) return reload();
      current = loaded;
      return loaded;
    });
    loading = { generation: started, promise };
    const done = (): void => {
      if (loading?.promise === promise) loading = undefined;
    };
    promise.then(done, done);
    return promise;
  }

  return {
    get current() {
      return current;
    },
    reload,
    expire() {
      generation += 1;
      current = undefined;
    },
  };
}
