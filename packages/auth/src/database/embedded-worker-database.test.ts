// The client the demo runs on after a restart must behave as PGlite does in process: the same
// rows, the same errors with their SQLSTATE codes, the same transactions and notifications. Each
// case runs the same statements on both and compares. (The whole auth suite also runs on it:
// project `pglite-worker`.)
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { messages, type PGlite, type PGliteInterface } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { EVENT_WAIT } from "../../../../vitest.shared.ts";
import { AuthError } from "../errors.ts";
import { testBackend } from "../testing/env.ts";
import { rethrowDatabaseError } from "./db-errors.ts";
import { workerThreadOf } from "./worker-channel.ts";
import { openEmbeddedDatabase, openEmbeddedDatabaseOnWorker } from "./open-embedded-database.ts";

const SCHEMA = `create table items (
  id int primary key, at timestamptz not null default '2026-12-08T10:00:00Z', day date, tags text[],
  doc jsonb, raw bytea, price numeric(10, 2), done boolean, big bigint, name text unique
)`;
const ROW = [1, "2026-12-08T11:30:00.123Z", "2026-12-08", ["a", "b,c", null], { nested: [1, "x"] }, new Uint8Array([0, 1, 255]), "12.50", true, 9007199254740993n, "one"];
const INSERT = "insert into items (id, at, day, tags, doc, raw, price, done, big, name) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
// Drizzle's options for its queries: rows as arrays, dates and times left as text.
const DRIZZLE_OPTIONS = { rowMode: "array" as const, parsers: { 1184: (value: string) => value, 1082: (value: string) => value } };

describe.runIf(testBackend() === "pglite")("openEmbeddedDatabaseOnWorker", () => {
  let worker: PGliteInterface;
  let local: PGlite;
  beforeAll(async () => {
    [worker, local] = await Promise.all([openEmbeddedDatabaseOnWorker(), openEmbeddedDatabase()]);
    for (const db of [worker, local]) {
      await db.exec(SCHEMA);
      await db.query(INSERT, ROW);
    }
  });
  afterAll(async () => {
    await Promise.all([worker.close(), local.close()]);
  });

  it("runs with the embedded settings, and answers rows, types and counts as PGlite does", async () => {
    expect((await worker.query("show shared_buffers")).rows).toEqual([{ shared_buffers: "16MB" }]);
    for (const [text, params, options] of [
      ["select * from items", [], undefined],
      ["select * from items where id = $1", [1], DRIZZLE_OPTIONS],
      ["select $1::int[] as ints, $2::text as missing", [[1, 2, 3], null], undefined],
      ["update items set done = $1 where id = $2", [true, 1], undefined],
    ] as const) {
      const [fromWorker, fromLocal] = await Promise.all([worker.query(text, [...params], options), local.query(text, [...params], options)]);
      expect(fromWorker).toEqual(fromLocal);
    }
    expect((await worker.query<{ raw: Uint8Array }>("select raw from items")).rows[0]?.raw).toEqual(new Uint8Array([0, 1, 255]));
    expect(await worker.exec("select 1 as one; select 2 as two")).toEqual(await local.exec("select 1 as one; select 2 as two"));
    expect(await worker.sql`select ${"x"}::text as value`).toEqual(await local.sql`select ${"x"}::text as value`);
    expect(await worker.describeQuery("select name from items where id = $1")).toMatchObject({
      queryParams: [{ dataTypeID: 23 }],
      resultFields: [{ name: "name", dataTypeID: 25 }],
    });
  });

  it("throws PGlite's DatabaseError with its SQLSTATE code, which the core maps as it does in process", async () => {
    const failed = await worker.query(INSERT, ROW).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(messages.DatabaseError);
    expect(failed).toMatchObject({ code: "23505", constraint: "items_pkey", table: "items", query: INSERT, params: ROW });
    await expect(worker.exec("select * from nowhere")).rejects.toMatchObject({ code: "42P01" });
    // The client is usable after an error, and a refused statement changed nothing.
    expect((await worker.query("select count(*)::int as n from items")).rows).toEqual([{ n: 1 }]);
  });

  it("parameters that would not cross the thread intact are serialised here, as in process; the caller's serialisers are used", async () => {
    const custom = { toString: () => "custom", mark: () => "a function cannot cross threads" };
    expect((await worker.query("select $1::text as value", [custom])).rows).toEqual([{ value: "custom" }]);
    // A class instance's toJSON lives on its prototype, which a copy to the worker would lose.
    class Money {
      constructor(readonly cents: number) {}
      toJSON(): string {
        return `${(this.cents / 100).toFixed(2)} EUR`;
      }
    }
    const money = [new Money(1250), Buffer.from("hi")];
    const sql = "select $1::jsonb as money, $2::jsonb as bytes";
    expect(await worker.query(sql, money)).toEqual(await local.query(sql, money));
    const shout = { serializers: { 25: (value: unknown) => String(value).toUpperCase() } };
    expect((await worker.query("select $1::text as value", ["quiet"], shout)).rows).toEqual([{ value: "QUIET" }]);
  });

  it("commits a transaction, rolls back one that throws, and refuses a finished transaction's handle", async () => {
    let handle: Parameters<Parameters<PGliteInterface["transaction"]>[0]>[0] | undefined;
    await worker.transaction(async (tx) => {
      handle = tx;
      await tx.query("insert into items (id, name) values ($1, $2)", [2, "two"]);
    });
    await expect(
      worker.transaction(async (tx) => {
        await tx.query("insert into items (id, name) values ($1, $2)", [3, "three"]);
        throw new Error("the callback failed");
      }),
    ).rejects.toThrow("the callback failed");
    expect((await worker.query("select id from items order by id")).rows).toEqual([{ id: 1 }, { id: 2 }]);
    await expect(handle?.query("select 1")).rejects.toThrow("Transaction is closed");
  });

  it("reports a COMMIT that PostgreSQL turned into a ROLLBACK as 25P02, and keeps nothing of it", async () => {
    const aborted = worker.transaction(async (tx) => {
      await tx.query("insert into items (id, name) values ($1, $2)", [4, "four"]);
      await tx.query("insert into items (id, name) values ($1, $2)", [5, "one"]).catch(() => {});
    });
    await expect(aborted).rejects.toMatchObject({ code: "25P02" });
    expect((await worker.query("select count(*)::int as n from items where id = 4")).rows).toEqual([{ n: 0 }]);
  });

  it("delivers NOTIFY to listeners after the commit, and stops after unlisten", async () => {
    const payloads: string[] = [];
    const global: string[] = [];
    const stop = await worker.listen("item_events", (payload) => payloads.push(payload));
    const off = worker.onNotification((channel, payload) => global.push(`${channel}:${payload}`));
    await worker.transaction(async (tx) => {
      await tx.query("select pg_notify('item_events', 'inside')");
      expect(payloads).toEqual([]);
    });
    await vi.waitFor(() => expect(payloads).toEqual(["inside"]), EVENT_WAIT);
    expect(global).toEqual(["item_events:inside"]);
    await stop();
    off();
    await worker.query("select pg_notify('item_events', 'after')");
    await worker.query("select 1");
    expect(payloads).toEqual(["inside"]);
  });

  it("dumps a data directory that PGlite opens in process", async () => {
    const dump = await worker.dumpDataDir("none");
    const copy = await openEmbeddedDatabase({ loadDataDir: dump });
    try {
      expect((await copy.query("select name from items order by id")).rows).toEqual([{ name: "one" }, { name: "two" }]);
    } finally {
      await copy.close();
    }
  });
});

describe.runIf(testBackend() === "pglite")("openEmbeddedDatabaseOnWorker when it fails", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "bk-worker-db-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("opens only once waitFor settles, and gives up with its error when it rejects", async () => {
    const dataDir = join(dir, "waited");
    let fill = (): void => {};
    const filled = new Promise<void>((resolve) => {
      fill = resolve;
    });
    let opened = false;
    const opening = openEmbeddedDatabaseOnWorker({ dataDir, waitFor: filled }).then((db) => {
      opened = true;
      return db;
    });
    // The worker loads PGlite meanwhile; nothing is created before the caller says so.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(opened).toBe(false);
    expect(existsSync(dataDir)).toBe(false);
    fill();
    const db = await opening;
    try {
      expect((await db.query("select 1 as one")).rows).toEqual([{ one: 1 }]);
    } finally {
      await db.close();
    }
    await expect(openEmbeddedDatabaseOnWorker({ dataDir, waitFor: Promise.reject(new Error("the copy failed")) })).rejects.toThrow("the copy failed");
  });

  it("rejects an opening that fails, with PGlite's error", async () => {
    const file = join(dir, "not-a-directory");
    await writeFile(file, "x");
    await expect(openEmbeddedDatabaseOnWorker({ dataDir: file })).rejects.toThrow();
  });

  it("keeps its data across close and reopen, and refuses calls once closed", async () => {
    const dataDir = join(dir, "pglite");
    const first = await openEmbeddedDatabaseOnWorker({ dataDir });
    await first.exec("create table kept (id int)");
    await first.query("insert into kept values ($1)", [7]);
    await first.close();
    expect(first.closed).toBe(true);
    await expect(first.query("select 1")).rejects.toThrow("PGlite is closed");
    const again = await openEmbeddedDatabaseOnWorker({ dataDir });
    try {
      expect((await again.query("select id from kept")).rows).toEqual([{ id: 7 }]);
    } finally {
      await again.close();
    }
  });

  it("fails waiting and later statements with CONNECTION_ENDED when its worker dies: DATABASE_UNAVAILABLE to the core", async () => {
    const db = await openEmbeddedDatabaseOnWorker();
    const thread = workerThreadOf(db);
    if (!thread) throw new Error("no worker thread");
    const pending = db.query("select pg_sleep(0.2)");
    await thread.terminate();
    const failure = await pending.catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: "CONNECTION_ENDED" });
    await expect(db.query("select 1")).rejects.toMatchObject({ code: "CONNECTION_ENDED" });
    let mapped: unknown;
    try {
      rethrowDatabaseError(failure);
    } catch (error) {
      mapped = error;
    }
    expect(mapped).toBeInstanceOf(AuthError);
    expect(mapped).toMatchObject({ code: "DATABASE_UNAVAILABLE" });
  });
});
