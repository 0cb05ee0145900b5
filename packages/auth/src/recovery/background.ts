/**
 * Work done after the response: mail sends, and the look-ups that must not show in a
 * response's timing (a password reset for an unknown address answers as fast as for a known one).
 * A failure is reported through `warn` (the `onWarning` option), never thrown: nobody is waiting for it.
 */
export interface Background {
  /** Starts `job` shortly and returns at once; its failure is reported as `warn(what, error)`. */
  run(what: string, job: () => Promise<void>): void;
  /** Resolves when every job started so far, and any they started, has finished. */
  idle(): Promise<void>;
}

const START_DELAY_MS = 20;

export function createBackground(warn: (message: string, error: unknown) => void): Background {
  const pending = new Set<Promise<void>>();
  return {
    run(what, job) {
      // Started a moment later, not in this tick: the response must be written first. Embedded
      // PGlite runs its queries on this thread, and a job started at once (setImmediate) delayed
      // the answers for known addresses measurably (median 45 ms against 28 ms for unknown ones).
      const done = new Promise<void>((resolve) => setTimeout(resolve, START_DELAY_MS))
        .then(job)
        .catch((error: unknown) => {
          try {
            warn(what, error);
          } catch {
            // A throwing logger must not become an unhandled rejection either.
          }
        })
        .finally(() => pending.delete(done));
      pending.add(done);
    },
    async idle() {
      while (pending.size > 0) await Promise.all(pending);
    },
  };
}
