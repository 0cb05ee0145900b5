/**
 * Calls to a worker thread that answers each request with one reply, in order: the transport of
 * `openEmbeddedDatabaseOnWorker` (embedded-worker-database.ts). The thread is held (`ref`) only
 * while a call waits on it, so an idle client never keeps a process alive, as an in-process PGlite
 * does not, while a pending statement does, as it would in process.
 *
 * If the thread stops for any reason other than `terminate()` after a close, every waiting and
 * later call fails with `CONNECTION_ENDED`, which the core reports as DATABASE_UNAVAILABLE (503),
 * as it does for a lost PostgreSQL connection.
 */
import { Worker } from "node:worker_threads";

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: { name: string; message: string; code?: string } };

function stoppedError(reason: string): Error {
  return Object.assign(new Error(`the embedded database's worker stopped: ${reason}`), { code: "CONNECTION_ENDED" });
}

/**
 * Where a client keeps its thread, for `workerThreadOf`: a registered symbol, not a module-level
 * map, because the demo opens the client from this package's build and reads it from the copy
 * Next.js bundled.
 */
const WORKER_THREAD = Symbol.for("bearer-kit.worker-thread");

/**
 * The worker thread behind a client; not part of the package's entry. The log names where a
 * database runs by it, and tests end it to see how a client fails when its thread dies.
 *
 * @example await workerThreadOf(db)?.terminate();
 */
export function workerThreadOf(owner: object): Worker | undefined {
  const thread: unknown = Reflect.get(owner, WORKER_THREAD);
  return thread instanceof Worker ? thread : undefined;
}

export class WorkerChannel<Request extends object> {
  readonly #worker: Worker;
  readonly #calls = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  #nextCall = 0;
  #stopped: Error | null = null;

  /** Starts `source` (CommonJS, evaluated) on a new thread; `owner` is what `workerThreadOf` finds it by. */
  constructor(source: string, owner: object) {
    this.#worker = new Worker(source, { eval: true });
    Object.defineProperty(owner, WORKER_THREAD, { value: this.#worker });
    this.#worker.unref();
    this.#worker.on("message", (reply: Reply) => this.#settle(reply));
    this.#worker.on("error", (error: Error) => this.#stop(error.message));
    this.#worker.on("messageerror", (error: Error) => this.#stop(error.message));
    this.#worker.on("exit", (code) => this.#stop(`exit code ${code}`));
  }

  /** Sends one request; resolves with the worker's reply, or rejects with its error. */
  call(request: Request): Promise<unknown> {
    if (this.#stopped) return Promise.reject(this.#stopped);
    const id = this.#nextCall++;
    return new Promise((resolve, reject) => {
      this.#calls.set(id, { resolve, reject });
      try {
        this.#worker.postMessage({ id, ...request });
      } catch (error) {
        // A value that cannot be copied to the thread (DataCloneError): nothing was sent.
        this.#calls.delete(id);
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      if (this.#calls.size === 1) this.#worker.ref();
    });
  }

  /** Ends the thread; later calls fail with `CONNECTION_ENDED`. */
  async terminate(): Promise<void> {
    this.#stop("it was closed");
    await this.#worker.terminate();
  }

  #settle(reply: Reply): void {
    const call = this.#calls.get(reply.id);
    if (!call) return;
    this.#calls.delete(reply.id);
    if (this.#calls.size === 0) this.#worker.unref();
    if (reply.ok) call.resolve(reply.value);
    else call.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name, code: reply.error.code }));
  }

  #stop(reason: string): void {
    this.#stopped ??= stoppedError(reason);
    for (const call of this.#calls.values()) call.reject(this.#stopped);
    this.#calls.clear();
    this.#worker.unref();
  }
}
