/**
 * Key operations for an app on embedded PGlite, served by the app's own process.
 *
 * PGlite is a single-process database: while the app has its data directory open, no other
 * process (such as `pnpm keys`) may open it. So the app listens on 127.0.0.1 only, on a random
 * port, and writes that port with a random token to `key-admin.json` beside the data directory
 * (mode 0600). `pnpm keys` reads the file and asks the app. Two locks: the socket is loopback
 * only (and a non-loopback peer is refused anyway), and the token proves read access to a file
 * only the app's user can read.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join, resolve } from "node:path";
import { AuthError } from "../errors.ts";
import type { KeySetHolder, SigningKeyInfo } from "./key-set-types.ts";

export type KeyOperation = { op: "list" } | { op: "rotate" } | { op: "retire"; kid: string };

interface AdminFile {
  port: number;
  token: string;
  pid: number;
}

/** Constant-time: digests of equal length, so neither the token's length nor a prefix leaks. */
function sameToken(presented: string, token: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(presented), digest(token));
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);
const MAX_BODY = 1024;

/** Where the app advertises its admin endpoint for this PGlite data directory. */
export function keyAdminFile(dataDir: string): string {
  return join(dirname(resolve(dataDir)), "key-admin.json");
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" }).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = "";
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > MAX_BODY) throw new Error("body too large");
  }
  return body;
}

function parseOperation(body: string): KeyOperation | null {
  const value: unknown = JSON.parse(body);
  if (typeof value !== "object" || value === null) return null;
  const { op, kid } = value as { op?: unknown; kid?: unknown };
  if (op === "list" || op === "rotate") return { op };
  if (op === "retire" && typeof kid === "string") return { op, kid };
  return null;
}

export function runKeyOperation(auth: KeySetHolder, operation: KeyOperation): Promise<SigningKeyInfo[]> {
  if (operation.op === "rotate") return auth.keys.rotate();
  if (operation.op === "retire") return auth.keys.retire(operation.kid);
  return auth.keys.list();
}

/**
 * Serves `pnpm keys` for this process's embedded database on a loopback port.
 *
 * @example const admin = await serveKeyAdmin(auth, env.PGLITE_DATA_DIR); // ... await admin.close();
 */
export async function serveKeyAdmin(auth: KeySetHolder, dataDir: string): Promise<{ close(): Promise<void> }> {
  const token = randomBytes(32).toString("base64url");
  const server = createServer((req, res) => {
    // Bound to 127.0.0.1 already; checked again so a change of bind address cannot expose it.
    if (!LOOPBACK.has(req.socket.remoteAddress ?? "")) return send(res, 403, { error: "loopback only" });
    const presented = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? "";
    if (req.method !== "POST" || !sameToken(presented, token)) return send(res, 401, { error: "unauthorized" });
    readBody(req)
      .then(async (body) => {
        const operation = parseOperation(body);
        if (!operation) return send(res, 400, { error: "expected {op: list|rotate|retire, kid?}" });
        send(res, 200, { keys: await runKeyOperation(auth, operation) });
      })
      .catch((error: unknown) => {
        if (error instanceof AuthError) return send(res, 404, { error: error.message, code: error.code });
        send(res, error instanceof SyntaxError ? 400 : 500, { error: error instanceof Error ? error.message : "failed" });
      });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  const file = keyAdminFile(dataDir);
  const advert: AdminFile = { port, token, pid: process.pid };
  // Created afresh, so the 0600 mode holds even if an old file had another.
  await rm(file, { force: true });
  await writeFile(file, JSON.stringify(advert), { mode: 0o600, flag: "wx" });
  return {
    async close() {
      await new Promise((done) => server.close(done));
      // Only our own advert: a newer process may have replaced it.
      const current = await readFile(file, "utf8").catch(() => "");
      if (current.includes(token)) await rm(file, { force: true });
    },
  };
}

/**
 * The pid of the live process advertising a key endpoint for this data directory, or `null`.
 * A file left by a process that has ended (the app exits without cleanup on a signal) is ignored.
 */
export async function keyAdminOwner(dataDir: string): Promise<number | null> {
  let pid: unknown;
  try {
    ({ pid } = JSON.parse(await readFile(keyAdminFile(dataDir), "utf8")) as Partial<AdminFile>);
  } catch {
    return null;
  }
  if (typeof pid !== "number" || !Number.isSafeInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: alive, but another user's.
    return (error as NodeJS.ErrnoException).code === "EPERM" ? pid : null;
  }
}

/**
 * Asks the app that holds the embedded database to run a key operation; `null` when no app
 * advertises an endpoint (or the one advertised is gone).
 */
export async function callKeyAdmin(dataDir: string, operation: KeyOperation): Promise<SigningKeyInfo[] | null> {
  let advert: AdminFile;
  try {
    advert = JSON.parse(await readFile(keyAdminFile(dataDir), "utf8")) as AdminFile;
  } catch {
    return null;
  }
  let response: Response;
  try {
    response = await fetch(`http://127.0.0.1:${advert.port}/keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${advert.token}`, "content-type": "application/json" },
      body: JSON.stringify(operation),
    });
  } catch {
    return null;
  }
  // Dates travel as ISO strings; revived so callers get what `auth.keys` returns in-process.
  const revive = (key: string, value: unknown) =>
    typeof value === "string" && /(At|Until)$/.test(key) ? new Date(value) : value;
  const body = JSON.parse(await response.text(), revive) as { keys?: SigningKeyInfo[]; error?: string; code?: string };
  if (response.status === 404 && body.code === "NOT_FOUND") throw new AuthError("NOT_FOUND", body.error ?? "not found");
  if (!response.ok || !body.keys) throw new Error(`the app refused: ${body.error ?? response.status}`);
  return body.keys;
}
