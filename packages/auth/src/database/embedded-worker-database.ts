/**
 * An embedded database whose PostgreSQL runs on a worker thread, so that opening it (about 0.6 s
 * of WebAssembly on a 2-core machine) and running its statements leave the caller's thread free:
 * the demo's start script opens it while Next.js loads, and the two then use both cores instead of
 * running one after the other (docs/start.md).
 *
 * The worker (embedded-worker-source.ts) answers with PostgreSQL's raw reply bytes, and this side
 * reads them with PGlite's own parser and result builder (`protocol.Parser`, `parse.parseResults`).
 * So a failed statement throws PGlite's own `DatabaseError` with its SQLSTATE code (the core maps
 * 23505 and the rest by it), rows come out as they do in process, with the caller's parsers, and
 * NOTIFY reaches `listen` callbacks from the same replies. Transactions and the statement lock are
 * kept here, as PGlite keeps them (transaction-runner.ts).
 * If the worker stops, every waiting and later call fails with `CONNECTION_ENDED`
 * (worker-channel.ts): DATABASE_UNAVAILABLE (503) to the core.
 */
import { createRequire } from "node:module";
import {
  type DebugLevel,
  type DescribeQueryResult,
  type ExecProtocolOptions,
  type ExecProtocolOptionsStream,
  type ExecProtocolResult,
  messages,
  Mutex,
  type PGlite,
  type PGliteInterface,
  parse,
  protocol,
  type QueryOptions,
  type Results,
  type Transaction,
  types,
} from "@electric-sql/pglite";
import { query as templateQuery } from "@electric-sql/pglite/template";
import { EMBEDDED_SETTINGS, type EmbeddedDatabaseOptions } from "./embedded-settings.ts";
import { EMBEDDED_WORKER_SOURCE, type WorkerRequest } from "./embedded-worker-source.ts";
import { NotificationListeners } from "./notification-listeners.ts";
import { runTransaction, type Statement, type StatementRunner } from "./transaction-runner.ts";
import { WorkerChannel } from "./worker-channel.ts";

/** A PGlite client whose database runs on a worker thread: the same interface as `PGlite`. */
export type EmbeddedWorkerDatabase = PGliteInterface;

export interface EmbeddedWorkerOptions extends EmbeddedDatabaseOptions {
  /**
   * Open only once this settles; reject it to give up. The worker starts and loads PGlite at
   * once, so that a caller still filling `dataDir` (from a template) overlaps the two.
   */
  waitFor?: PromiseLike<unknown> | undefined;
}

type Compression = Parameters<PGlite["dumpDataDir"]>[0];

/**
 * True when the structured clone that carries a value to the worker gives PGlite's serialisers
 * there exactly what they would see here: primitives, plain dates and byte arrays, and plain
 * arrays and objects of those. A class instance would arrive as a plain object, without the
 * prototype its `toJSON` or `toString` lives on, and a Buffer as a plain Uint8Array; such values
 * are serialised on this thread instead.
 */
function copiesExactly(value: unknown): boolean {
  if (typeof value === "function" || typeof value === "symbol") return false;
  if (value === null || typeof value !== "object") return true;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype === Date.prototype || prototype === Uint8Array.prototype) return true;
  if (Array.isArray(value)) return prototype === Array.prototype && value.every(copiesExactly);
  return (prototype === Object.prototype || prototype === null) && Object.values(value).every(copiesExactly);
}

/** COPY with PGlite's `/dev/blob` streams a file through the client, which this one does not carry across. */
function refuseBlob(options: QueryOptions | undefined): void {
  if (options?.blob) throw new Error("an embedded database on a worker thread cannot read a blob (COPY FROM '/dev/blob')");
}

/** PGlite's decoration of a failed statement's error: what ran, with what. */
function statementError(error: unknown, { text, params, options }: Statement): unknown {
  if (error instanceof messages.DatabaseError) Object.assign(error, { query: text, params, queryOptions: options });
  return error;
}

class WorkerDatabase implements PGliteInterface, StatementRunner {
  readonly debug: DebugLevel = 0;
  readonly waitReady: Promise<void>;
  serializers: Record<number | string, types.Serializer> = { ...types.serializers };
  parsers: Record<number | string, types.Parser> = { ...types.parsers };
  readonly #worker: WorkerChannel<WorkerRequest>;
  readonly #listeners = new NotificationListeners(this);
  #ready = false;
  #closing = false;
  #closed = false;
  #replyParser = new protocol.Parser();
  // PGlite's locks: one statement at a time, and a transaction holds the database for its whole callback.
  readonly #queryMutex = new Mutex();
  readonly #transactionMutex = new Mutex();

  constructor(options: EmbeddedWorkerOptions) {
    this.#worker = new WorkerChannel(EMBEDDED_WORKER_SOURCE, this);
    // A failed opening ends the worker; the opener gets its error, later calls "PGlite is closed".
    this.waitReady = this.#open(options).catch(async (error: unknown) => {
      this.#closed = true;
      await this.#worker.terminate();
      throw error;
    });
  }

  async #open(options: EmbeddedWorkerOptions): Promise<void> {
    // The CommonJS build, resolved from this package. The worker only runs it and answers in
    // bytes, so none of its classes ever meets one of the build this thread parses with.
    const entry = createRequire(import.meta.url).resolve("@electric-sql/pglite");
    // Loaded at once, opened once the data directory may be: the two overlap.
    const loading = this.#worker.call({ op: "load", entry });
    loading.catch(() => {});
    await options.waitFor;
    const loadDataDir = options.loadDataDir ? new Uint8Array(await options.loadDataDir.arrayBuffer()) : undefined;
    await this.#worker.call({ op: "open", entry, dataDir: options.dataDir, loadDataDir, settings: EMBEDDED_SETTINGS });
    this.#ready = true;
    await this.#initArrayTypes();
  }

  get ready(): boolean {
    return this.#ready && !this.#closing && !this.#closed;
  }

  get closed(): boolean {
    return this.#closed;
  }

  async #checkReady(): Promise<void> {
    if (this.#closing) throw new Error("PGlite is closing");
    if (this.#closed) throw new Error("PGlite is closed");
    if (!this.#ready) await this.waitReady;
  }

  /**
   * PGlite's reading of a reply: notices go to `onNotice`, notifications to the listeners, and
   * the first error is thrown once the whole reply is read (what follows it is dropped, as PGlite
   * drops it).
   */
  #read(data: Uint8Array, { throwOnError = true, onNotice }: ExecProtocolOptions = {}): messages.BackendMessage[] {
    const results: messages.BackendMessage[] = [];
    let failure: messages.DatabaseError | null = null;
    this.#replyParser.parse(data, (message) => {
      if (failure) return;
      if (message instanceof messages.DatabaseError) {
        if (throwOnError) failure = message;
      } else if (message instanceof messages.NoticeMessage) {
        onNotice?.(message);
      } else if (message instanceof messages.NotificationResponseMessage) {
        this.#listeners.notify(message.channel, message.payload);
      }
      results.push(message);
    });
    if (failure) {
      this.#replyParser = new protocol.Parser();
      throw failure;
    }
    return results;
  }

  // ---- statements (StatementRunner: also what a transaction's `tx` runs) ----

  runQuery<T>(statement: Statement): Promise<Results<T>> {
    return this.#queryMutex.runExclusive(async () => {
      const { text, params = [], options, syncToFs } = statement;
      refuseBlob(options);
      // Serialised on the worker with PGlite's serialisers in one round trip, unless the caller
      // brought its own (functions stay here) or a value would not arrive as it is.
      const reply =
        options?.serializers || !params.every(copiesExactly)
          ? await this.#callSerialized({ ...statement, params })
          : ((await this.#worker.call({ op: "query", text, params, paramTypes: options?.paramTypes, serialized: false, syncToFs })) as Uint8Array);
      try {
        return parse.parseResults(this.#read(reply, options), this.parsers, options)[0] as Results<T>;
      } catch (error) {
        throw statementError(error, statement);
      }
    });
  }

  /** Types first, then values serialised here: two round trips instead of one. */
  async #callSerialized({ text, params = [], options, syncToFs }: Statement): Promise<Uint8Array> {
    const dataTypeIDs = parse.parseDescribeStatementResults(this.#read((await this.#worker.call({ op: "describe", text, paramTypes: options?.paramTypes })) as Uint8Array));
    const values = params.map((param, i) => {
      if (param === null || param === undefined) return null;
      const type = dataTypeIDs[i] ?? 0;
      return (options?.serializers?.[type] ?? this.#serializer(type))(param);
    });
    return (await this.#worker.call({ op: "query", text, params: values, paramTypes: options?.paramTypes, serialized: true, syncToFs })) as Uint8Array;
  }

  runExec(statement: Statement): Promise<Results[]> {
    return this.#queryMutex.runExclusive(async () => {
      const { text, options, syncToFs } = statement;
      refuseBlob(options);
      const reply = (await this.#worker.call({ op: "exec", text, syncToFs })) as Uint8Array;
      try {
        return parse.parseResults(this.#read(reply, options), this.parsers, options);
      } catch (error) {
        throw statementError(error, statement);
      }
    });
  }

  async query<T>(text: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    await this.#checkReady();
    return this.#transactionMutex.runExclusive(() => this.runQuery<T>({ text, params, options, syncToFs: true }));
  }

  async sql<T>(strings: TemplateStringsArray, ...values: unknown[]): Promise<Results<T>> {
    const { query, params } = templateQuery(strings, ...values);
    return this.query<T>(query, params);
  }

  async exec(text: string, options?: QueryOptions): Promise<Results[]> {
    await this.#checkReady();
    return this.#transactionMutex.runExclusive(() => this.runExec({ text, options, syncToFs: true }));
  }

  async transaction<T>(callback: (tx: Transaction) => Promise<T>): Promise<T> {
    await this.#checkReady();
    return this.#transactionMutex.runExclusive(() => runTransaction(this, callback));
  }

  async describeQuery(text: string, options?: QueryOptions): Promise<DescribeQueryResult> {
    await this.#checkReady();
    const reply = await this.#transactionMutex.runExclusive(() =>
      this.#queryMutex.runExclusive(async () => (await this.#worker.call({ op: "describe", text, paramTypes: options?.paramTypes })) as Uint8Array),
    );
    const described = this.#read(reply, options);
    const parameters = described.find((m): m is messages.ParameterDescriptionMessage => m.name === "parameterDescription");
    const row = described.find((m): m is messages.RowDescriptionMessage => m.name === "rowDescription");
    return {
      queryParams: parameters?.dataTypeIDs.map((dataTypeID) => ({ dataTypeID, serializer: this.#serializer(dataTypeID) })) ?? [],
      resultFields: row?.fields.map(({ name, dataTypeID }) => ({ name, dataTypeID, parser: this.#typeParser(dataTypeID) })) ?? [],
    };
  }

  /** PGlite's array types: a parser and serialiser for every array type the database has. */
  async #initArrayTypes(): Promise<void> {
    const { rows } = await this.query<{ oid: number; typarray: number }>(
      `SELECT b.oid, b.typarray FROM pg_catalog.pg_type a LEFT JOIN pg_catalog.pg_type b ON b.oid = a.typelem
       WHERE a.typcategory = 'A' GROUP BY b.oid, b.typarray ORDER BY b.oid`,
    );
    for (const { oid, typarray } of rows) {
      this.serializers[typarray] = (x) => types.arraySerializer(x, this.#serializer(oid), typarray);
      this.parsers[typarray] = (x) => types.arrayParser(x, this.#typeParser(oid), typarray);
    }
  }

  /** A type's serialiser; PGlite sends a type it has none for as `String(value)`. */
  #serializer(type: number): types.Serializer {
    return this.serializers[type] ?? String;
  }

  /** A type's parser; PGlite returns a type it has none for as text. */
  #typeParser(type: number): types.Parser {
    return this.parsers[type] ?? ((text) => text);
  }

  async refreshArrayTypes(): Promise<void> {
    await this.#initArrayTypes();
  }

  runExclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.#queryMutex.runExclusive(fn);
  }

  // ---- the wire protocol, for callers that speak it themselves ----

  async execProtocolRaw(message: Uint8Array, { syncToFs = true }: ExecProtocolOptions = {}): Promise<Uint8Array> {
    return (await this.#worker.call({ op: "raw", message, syncToFs })) as Uint8Array;
  }

  async execProtocolRawStream(message: Uint8Array, { syncToFs = true, onRawData }: ExecProtocolOptionsStream): Promise<void> {
    onRawData(await this.execProtocolRaw(message, { syncToFs }));
  }

  async execProtocol(message: Uint8Array, options: ExecProtocolOptions = {}): Promise<ExecProtocolResult> {
    const data = await this.execProtocolRaw(message, { syncToFs: options.syncToFs ?? true });
    return { messages: this.#read(data, options), data };
  }

  async syncToFs(): Promise<void> {
    await this.#worker.call({ op: "sync" });
  }

  // ---- LISTEN (notification-listeners.ts) ----

  listen(channel: string, callback: (payload: string) => void, tx?: Transaction): Promise<(tx?: Transaction) => Promise<void>> {
    return this.#listeners.listen(channel, callback, tx);
  }

  unlisten(channel: string, callback?: (payload: string) => void, tx?: Transaction): Promise<void> {
    return this.#listeners.unlisten(channel, callback, tx);
  }

  onNotification(callback: (channel: string, payload: string) => void): () => void {
    return this.#listeners.onNotification(callback);
  }

  offNotification(callback: (channel: string, payload: string) => void): void {
    this.#listeners.offNotification(callback);
  }

  // ---- the data directory and closing ----

  async dumpDataDir(compression?: Compression): Promise<Blob> {
    return this.#queryMutex.runExclusive(async () => {
      await this.#checkReady();
      const { bytes, type } = (await this.#worker.call({ op: "dump", compression })) as { bytes: Uint8Array<ArrayBuffer>; type: string };
      return new Blob([bytes], { type });
    });
  }

  /** Waits for running statements and transactions, as PGlite does, then closes the database and ends the worker. */
  async close(): Promise<void> {
    await this.#checkReady();
    await this.#transactionMutex.runExclusive(() =>
      this.#queryMutex.runExclusive(async () => {
        await this.#checkReady();
        this.#closing = true;
      }),
    );
    try {
      await this.#worker.call({ op: "close" });
    } finally {
      this.#closed = true;
      this.#closing = false;
      await this.#worker.terminate();
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/**
 * Opens (or, on an empty folder, creates) an embedded database with bearer-kit's settings on a
 * worker thread. The result is used as a `PGlite` is: hand it to `createAuthFromEnv(env, { pglite })`
 * or `createDatabase({ pglite })`, which close it. A failed opening rejects and ends the worker.
 *
 * @example const pglite = openEmbeddedDatabaseOnWorker({ dataDir: ".data/pglite" });
 */
export async function openEmbeddedDatabaseOnWorker(options: EmbeddedWorkerOptions = {}): Promise<EmbeddedWorkerDatabase> {
  const database = new WorkerDatabase(options);
  await database.waitReady;
  return database;
}
