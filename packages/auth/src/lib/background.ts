/**
 * Work done after the response: mail sends, and the look-ups that must not show in a
 * response's timing (a password reset for an unknown address answers as fast as for a known one).
 * A failure is reported through `warn`, never thrown: nobody is waiting for it.
 */
export interface Background {
  /** Starts `job` now and returns at once; its failure is reported as `${what}: ${message}`. */
  run(what: string, job: () => Promise<void>): void;
  /** Resolves when every job started so far, and any they started, has finished. */
  idle(): Promise<void>;
}

export function createBackground(warn: (message: string) => void): Background {
  const pending = new Set<Promise<void>>();
  return {
    run(what, job) {
      // Deferred to a macrotask: the caller's response is on its way before the job's first
      // query or connection, so even the synchronous part of a job adds nothing to it.
      const done = new Promise<void>((resolve) => setImmediate(resolve))
        .then(job)
        .catch((error: unknown) => {
          try {
            warn(`${what}: ${error instanceof Error ? error.message : String(error)}`);
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
