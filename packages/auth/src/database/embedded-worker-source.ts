/**
 * The thread that runs an embedded database for `openEmbeddedDatabaseOnWorker`
 * (embedded-worker-database.ts). It owns the PGlite instance and executes requests one at a
 * time, in the order they came, and answers each with PostgreSQL's raw reply bytes: the client
 * parses them with PGlite's own parser, so errors, notices and NOTIFY reach it exactly as they
 * would in process.
 *
 * A parameterised statement is one request, not one per protocol step: the steps PGlite's
 * `query` awaits one by one (Parse and Describe, then Bind, Describe and Execute, then Sync) are
 * sent here as three batches, and the parameters are serialised here, with PGlite's serialisers,
 * from the statement's parameter types. After an error PostgreSQL skips everything up to Sync,
 * as it does when the steps come one by one.
 *
 * Run with `eval`: a worker file would have to exist as JavaScript next to the TypeScript source
 * in the workspace and in dist alike. An evaluated worker is CommonJS or an ES module depending on
 * the flags it inherits (`node --input-type=module` makes it a module), so it uses neither
 * `require` nor `import` statements: built-ins come from `process.getBuiltinModule`, and PGlite
 * from a dynamic `import()` of the path the client resolved (`entry`).
 */
import type { PGlite } from "@electric-sql/pglite";

/** What the worker is asked, one request at a time; every reply but "open", "sync" and "close" carries bytes. */
export type WorkerRequest =
  | { op: "load"; entry: string }
  | { op: "open"; entry: string; dataDir: string | undefined; loadDataDir: Uint8Array | undefined; settings: readonly string[] }
  | { op: "query"; text: string; params: unknown[]; paramTypes: number[] | undefined; serialized: boolean; syncToFs: boolean }
  | { op: "describe"; text: string; paramTypes: number[] | undefined }
  | { op: "exec"; text: string; syncToFs: boolean }
  | { op: "raw"; message: Uint8Array; syncToFs: boolean }
  | { op: "sync" }
  | { op: "dump"; compression: Parameters<PGlite["dumpDataDir"]>[0] }
  | { op: "close" };

export const EMBEDDED_WORKER_SOURCE = `
const { parentPort } = process.getBuiltinModule("node:worker_threads");
const { pathToFileURL } = process.getBuiltinModule("node:url");
const { readFile } = process.getBuiltinModule("node:fs/promises");
const { dirname, join } = process.getBuiltinModule("node:path");
let pg;
let protocol;
let loading;
let queue = Promise.resolve();

/**
 * PGlite's module, its WebAssembly compiled and its file bundle read: what PGlite.create would
 * otherwise do first. Asked for before the data directory is ready (a template still copying),
 * so that it overlaps with that. Files PGlite keeps elsewhere are left to PGlite to find.
 */
async function load(entry) {
  const loaded = await import(pathToFileURL(entry).href);
  // PGlite's CommonJS build, imported: its exports by name, or all of them as the default.
  const pglite = loaded.PGlite ? loaded : loaded.default;
  const dist = dirname(entry);
  const [wasm, bundle] = await Promise.all([
    readFile(join(dist, "pglite.wasm")).then((bytes) => WebAssembly.compile(bytes)).catch(() => undefined),
    readFile(join(dist, "pglite.data")).then((bytes) => new Blob([bytes])).catch(() => undefined),
  ]);
  return { pglite, wasm, bundle };
}

function concat(chunks) {
  const out = new Uint8Array(chunks.reduce((size, chunk) => size + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** Runs protocol messages as one batch, collecting the replies; the last batch is always Sync. */
async function batches(steps, syncToFs) {
  const replies = [];
  const send = async (...messages) => {
    const reply = [];
    // The stream form hands over PostgreSQL's output as it is written, where the plain raw call
    // also copies it into a buffer and parses it, which nobody here reads.
    await pg.execProtocolRawStream(concat(messages), { syncToFs: false, onRawData: (bytes) => reply.push(bytes.slice()) });
    replies.push(...reply);
    return concat(reply);
  };
  try {
    await steps(send, protocol.serialize);
  } finally {
    await send(protocol.serialize.sync());
  }
  if (syncToFs) await pg.syncToFs();
  return concat(replies);
}

/**
 * The statement's parameter types from a reply to Parse and Describe, or null when PostgreSQL
 * refused the statement. Read by hand (each message: a type byte, a 4-byte length, the body):
 * only ParameterDescription ('t') and ErrorResponse ('E') matter here.
 */
function parameterTypes(reply) {
  const view = new DataView(reply.buffer, reply.byteOffset, reply.byteLength);
  let types = [];
  for (let at = 0; at + 5 <= reply.length; at += 1 + view.getInt32(at + 1)) {
    const type = reply[at];
    if (type === 0x45) return null;
    if (type === 0x74) {
      const count = view.getInt16(at + 5);
      types = Array.from({ length: count }, (_, i) => view.getUint32(at + 7 + 4 * i));
    }
  }
  return types;
}

function serialize(param, type) {
  if (param === null || param === undefined) return null;
  const serializer = pg.serializers[type];
  return serializer ? serializer(param) : param.toString();
}

async function run(request) {
  switch (request.op) {
    case "load":
      loading ??= load(request.entry);
      await loading;
      return undefined;
    case "open": {
      const { pglite, wasm, bundle } = await (loading ??= load(request.entry));
      const { PGlite } = pglite;
      protocol = pglite.protocol;
      pg = await PGlite.create({
        ...(request.dataDir ? { dataDir: request.dataDir } : {}),
        ...(request.loadDataDir ? { loadDataDir: new Blob([request.loadDataDir]) } : {}),
        ...(wasm && bundle ? { pgliteWasmModule: wasm, fsBundle: bundle } : {}),
        startParams: [...PGlite.defaultStartParams, ...request.settings],
      });
      return undefined;
    }
    case "query":
      return batches(async (send, s) => {
        const parse = s.parse({ text: request.text, types: request.paramTypes });
        const execute = (values) => [s.bind({ values }), s.describe({ type: "P" }), s.execute({})];
        if (request.serialized) return send(parse, ...execute(request.params));
        const types = parameterTypes(await send(parse, s.describe({ type: "S" })));
        if (types !== null) await send(...execute(request.params.map((param, i) => serialize(param, types[i]))));
      }, request.syncToFs);
    case "describe":
      return batches((send, s) => send(s.parse({ text: request.text, types: request.paramTypes }), s.describe({ type: "S" })), false);
    case "exec":
      return batches((send, s) => send(s.query(request.text)), request.syncToFs);
    case "raw":
      return pg.execProtocolRaw(request.message, { syncToFs: request.syncToFs });
    case "sync":
      await pg.syncToFs();
      return undefined;
    case "dump": {
      const blob = await pg.dumpDataDir(request.compression);
      return { bytes: new Uint8Array(await blob.arrayBuffer()), type: blob.type };
    }
    case "close":
      await pg.close();
      return undefined;
    default:
      throw new Error("unknown request " + request.op);
  }
}

parentPort.on("message", (request) => {
  queue = queue.then(async () => {
    try {
      const value = await run(request);
      const bytes = value instanceof Uint8Array ? value : value?.bytes;
      parentPort.postMessage({ id: request.id, ok: true, value }, bytes ? [bytes.buffer] : []);
    } catch (error) {
      const e = error ?? {};
      parentPort.postMessage({ id: request.id, ok: false, error: { name: String(e.name ?? "Error"), message: String(e.message ?? e), code: e.code } });
    }
    if (request.op === "close") parentPort.close();
  });
});
`;
