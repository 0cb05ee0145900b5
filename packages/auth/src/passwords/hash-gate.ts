/**
 * A bound on concurrent password hashing. argon2 runs on libuv's thread pool (4 threads by
 * default), so a flood of sign-ins would otherwise put a hash on every core and starve the event
 * loop that serves every other request. The gate lets `concurrency` hashes run at once (by
 * default one core fewer than the machine has), queues up to `queue` more in arrival order, and
 * refuses the rest at once with `SERVER_BUSY`: a bounded queue is also a bounded wait.
 */
import { availableParallelism } from "node:os";
import { AuthError } from "../errors.ts";

/** What a refused caller is told to wait: the queue drains in well under a second. */
export const SERVER_BUSY_RETRY_AFTER = 1;

export interface HashGateOptions {
  /** Hashes running at once; `0` means one fewer than the cores available, at least one. */
  concurrency: number;
  /** Hashes waiting for a slot, beyond which new ones are refused. */
  queue: number;
}

export interface HashGate {
  /** Runs `task` once a slot is free, in arrival order. Throws `SERVER_BUSY` when the queue is full. */
  run<T>(task: () => Promise<T>): Promise<T>;
  /**
   * Throws `SERVER_BUSY` now when a task would be refused, so a caller can skip the database
   * work that would lead up to it.
   */
  assertAdmissible(): void;
}

/** The concurrency `0` stands for: leave one core to the event loop. */
export function defaultHashConcurrency(): number {
  return Math.max(1, availableParallelism() - 1);
}

function busy(): AuthError {
  return new AuthError("SERVER_BUSY", "Too many sign-ins are being checked; try again shortly.", {
    retryAfter: SERVER_BUSY_RETRY_AFTER,
  });
}

/**
 * @example
 * const gate = createHashGate({ concurrency: 0, queue: 32 });
 * const hash = await gate.run(() => hashPassword(password, params));
 */
export function createHashGate(options: HashGateOptions): HashGate {
  const limit = options.concurrency === 0 ? defaultHashConcurrency() : options.concurrency;
  const waiting: Array<() => void> = [];
  let running = 0;

  function release(): void {
    const next = waiting.shift();
    // The slot passes straight to the next waiter, so a newcomer can never jump the queue.
    if (next) next();
    else running -= 1;
  }

  function assertAdmissible(): void {
    if (running >= limit && waiting.length >= options.queue) throw busy();
  }

  return {
    assertAdmissible,
    async run(task) {
      if (running < limit) running += 1;
      else {
        assertAdmissible();
        await new Promise<void>((resolve) => waiting.push(resolve));
      }
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}
