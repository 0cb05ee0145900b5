import type { Transaction } from "@electric-sql/pglite";
import { Mutex } from "@electric-sql/pglite";

type Listener = (payload: string) => void;
type GlobalListener = (channel: string, payload: string) => void;

/** What LISTEN and UNLISTEN run on: the client, or the transaction they were asked in. */
interface Executor {
  exec(text: string): Promise<unknown>;
}

/** PostgreSQL's folding of a channel name: quoted keeps its case, unquoted is lower-cased. */
function postgresName(channel: string): string {
  return channel.startsWith('"') && channel.endsWith('"') ? channel.slice(1, -1) : channel.toLowerCase();
}

/**
 * PGlite's `listen`, `unlisten` and `onNotification` bookkeeping, for a client that reads
 * PostgreSQL's replies itself (embedded-worker-database.ts) and hands each NOTIFY to `notify`.
 *
 * @example
 * const listeners = new NotificationListeners(client);
 * const stop = await listeners.listen("revocations", (payload) => handle(payload));
 */
export class NotificationListeners {
  readonly #client: Executor;
  readonly #mutex = new Mutex();
  readonly #listeners = new Map<string, Set<Listener>>();
  readonly #globalListeners = new Set<GlobalListener>();

  constructor(client: Executor) {
    this.#client = client;
  }

  /** Calls the channel's listeners and the global ones, after the caller's synchronous code, as PGlite does. */
  notify(channel: string, payload: string): void {
    for (const listener of this.#listeners.get(channel) ?? []) queueMicrotask(() => listener(payload));
    for (const listener of this.#globalListeners) queueMicrotask(() => listener(channel, payload));
  }

  async listen(channel: string, callback: Listener, tx?: Transaction): Promise<(tx?: Transaction) => Promise<void>> {
    return this.#mutex.runExclusive(async () => {
      const name = postgresName(channel);
      const listeners = this.#listeners.get(name) ?? new Set();
      this.#listeners.set(name, listeners);
      listeners.add(callback);
      try {
        await (tx ?? this.#client).exec(`LISTEN ${channel}`);
      } catch (error) {
        this.#forget(name, callback);
        throw error;
      }
      return (unlistenTx?: Transaction) => this.unlisten(name, callback, unlistenTx);
    });
  }

  async unlisten(channel: string, callback?: Listener, tx?: Transaction): Promise<void> {
    await this.#mutex.runExclusive(async () => {
      const name = postgresName(channel);
      if (callback && !this.#forget(name, callback)) return;
      await (tx ?? this.#client).exec(`UNLISTEN ${channel}`);
      // Another caller may have listened while UNLISTEN ran.
      if (this.#listeners.get(name)?.size === 0) this.#listeners.delete(name);
    });
  }

  onNotification(callback: GlobalListener): () => void {
    this.#globalListeners.add(callback);
    return () => this.#globalListeners.delete(callback);
  }

  offNotification(callback: GlobalListener): void {
    this.#globalListeners.delete(callback);
  }

  /** Removes one callback; true when it was the channel's last. */
  #forget(name: string, callback: Listener): boolean {
    const listeners = this.#listeners.get(name);
    listeners?.delete(callback);
    if (listeners?.size !== 0) return false;
    this.#listeners.delete(name);
    return true;
  }
}
