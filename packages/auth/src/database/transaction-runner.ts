import type { QueryOptions, Results, Transaction } from "@electric-sql/pglite";
import { messages } from "@electric-sql/pglite";
import { query as templateQuery } from "@electric-sql/pglite/template";

/** One statement: its text, parameters and options, and whether to sync to disk after it (outside a transaction). */
export interface Statement {
  text: string;
  params?: unknown[] | undefined;
  options?: QueryOptions | undefined;
  syncToFs: boolean;
}

/** What a transaction runs its statements on: a client's statement lock, without its transaction lock. */
export interface StatementRunner {
  runQuery<T>(statement: Statement): Promise<Results<T>>;
  runExec(statement: Statement): Promise<Results[]>;
  listen(channel: string, callback: (payload: string) => void, tx?: Transaction): Promise<(tx?: Transaction) => Promise<void>>;
}

/** PGlite's error for a COMMIT that PostgreSQL turned into a ROLLBACK (SQLSTATE 25P02). */
function abortedError(): messages.DatabaseError {
  const error = new messages.DatabaseError("Transaction was rolled back instead of committed", 0, "error");
  return Object.assign(error, { severity: "ERROR", code: "25P02", query: "COMMIT", params: undefined, queryOptions: undefined });
}

/**
 * PGlite's `transaction`, for a client that keeps its own locks (embedded-worker-database.ts):
 * BEGIN, the callback's statements, then COMMIT, or ROLLBACK when the callback throws. The caller
 * holds its transaction lock throughout. `tx` refuses statements once the transaction is over,
 * and nothing is synced to disk before COMMIT.
 *
 * @example return mutex.runExclusive(() => runTransaction(runner, callback));
 */
export async function runTransaction<T>(runner: StatementRunner, callback: (tx: Transaction) => Promise<T>): Promise<T> {
  await runner.runExec({ text: "BEGIN", syncToFs: true });
  let closed = false;
  const open = (): void => {
    if (closed) throw new Error("Transaction is closed");
  };
  const tx: Transaction = {
    query: async <R>(text: string, params?: unknown[], options?: QueryOptions) => {
      open();
      return runner.runQuery<R>({ text, params, options, syncToFs: false });
    },
    sql: async <R>(strings: TemplateStringsArray, ...values: unknown[]) => {
      open();
      const { query, params } = templateQuery(strings, ...values);
      return runner.runQuery<R>({ text: query, params, syncToFs: false });
    },
    exec: async (text: string, options?: QueryOptions) => {
      open();
      return runner.runExec({ text, options, syncToFs: false });
    },
    rollback: async () => {
      open();
      await runner.runExec({ text: "ROLLBACK", syncToFs: true });
      closed = true;
    },
    listen: async (channel: string, callback: (payload: string) => void) => {
      open();
      return runner.listen(channel, callback, tx);
    },
    get closed() {
      return closed;
    },
  };
  try {
    const result = await callback(tx);
    if (!closed) {
      closed = true;
      const [committed] = await runner.runExec({ text: "COMMIT", syncToFs: true });
      if (committed?.command === "ROLLBACK") throw abortedError();
    }
    return result;
  } catch (error) {
    if (!closed) {
      closed = true;
      await runner.runExec({ text: "ROLLBACK", syncToFs: true });
    }
    throw error;
  }
}
