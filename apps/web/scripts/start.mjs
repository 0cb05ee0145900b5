// Serves the production build (or, with --dev, `next dev`) on PORT (default 3000) and HOSTNAME (default localhost, so nothing
// is exposed to the network unless asked), then prints one line saying where the app answers.
//
// A small HTTP server in front of Next.js, rather than `next start`, so that every request's
// client address and Authorization header can be trusted (see request-headers.mjs): a route
// handler cannot see the socket, so this server hands it the peer address. The built app refuses
// to start without it. The line is printed once an API call comes back, which also opens the
// database and runs migrations.
//
// An existing embedded database starts opening before Next.js loads (early-database.mjs), on a
// worker thread, so the two overlap instead of running one after the other; a fresh one is filled
// from the template and opened once Next.js is ready. The API takes the open database over.
import console from "node:console";
import { existsSync } from "node:fs";
import { createServer, get } from "node:http";
import { dirname, join } from "node:path";
import process from "node:process";
import { setTimeout } from "node:timers";
import { fileURLToPath } from "node:url";
import { closeUntakenDatabase, fillFreshDatabase, openDatabaseEarly } from "./early-database.mjs";
import { secureRequestHeaders, START_SERVER_MARK } from "./request-headers.mjs";
import { isMalformedTarget } from "./request-target.mjs";

const appDir = join(dirname(fileURLToPath(import.meta.url)), "..");

function fail(message) {
  console.error(`bearer-kit web: ${message}`);
  process.exit(1);
}

function readPort(value) {
  if (value === undefined || value === "") return 3000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) fail(`PORT: must be an integer from 1 to 65535 (got "${value}")`);
  return port;
}

const isWildcard = (host) => host === "0.0.0.0" || host === "::" || host === "[::]";

/** The address to print and poll: a wildcard bind answers on localhost. */
function urlHost(host) {
  if (isWildcard(host)) return "localhost";
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}

const port = readPort(process.env.PORT);
const host = process.env.HOSTNAME || "localhost";
const url = `http://${urlHost(host)}:${port}`;

// --dev: the same server around `next dev` (hot reload), so development sees the same headers.
const dev = process.argv.includes("--dev");
if (!dev && !existsSync(join(appDir, ".next", "BUILD_ID"))) {
  fail("no production build in apps/web/.next; run `pnpm --filter @bearer-kit/web build` first.");
}

// The auth service lives on globalThis (src/server/auth.ts). Closing it writes the batched
// last_used_at values and closes PGlite cleanly, as does closing an early database the API has
// not taken yet; capped, so a hung database cannot block exit.
async function closeAuth() {
  const opened = globalThis.bearerKitAuth?.opened;
  const closing = Promise.all([
    closeUntakenDatabase(),
    opened?.then(async ({ auth, database }) => {
      await auth.close();
      await database.close();
    }),
  ]);
  await Promise.race([closing.catch(() => {}), new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
}

let server;
let stopping = false;
/** Stops serving, closes the database and exits: on a signal (0) or a failure after start-up began (1). */
function stop(code) {
  if (stopping) return;
  stopping = true;
  server?.close();
  server?.closeAllConnections();
  void closeAuth().finally(() => process.exit(code));
}
// Installed before anything opens, so that a signal during start-up closes the database too.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => stop(0));

function failAndStop(message) {
  console.error(`bearer-kit web: ${message}`);
  stop(1);
}

// Production only: `next dev` compiles the API on its first request, which takes longer anyway.
if (!dev) openDatabaseEarly(process.env);
// Imported here, not at the top, so that the database is already opening while Next.js loads.
const { default: next } = await import("next");

process.env.NODE_ENV ??= dev ? "development" : "production";
// Before Next loads the app: its instrumentation hook checks for this mark.
globalThis[START_SERVER_MARK] = true;
const app = next({ dev, dir: appDir, hostname: host, port });
const handle = app.getRequestHandler();
try {
  await app.prepare();
  // A fresh embedded database: filled from the template and opened now, before the first request.
  fillFreshDatabase();
} catch (error) {
  // As before, the error ends the process; the early database is closed first.
  console.error(error);
  await closeAuth();
  process.exit(1);
}

server = createServer((req, res) => {
  // Before Next.js: it answers some malformed targets (/api/trpc/%zz) with a 500.
  if (isMalformedTarget(req.url)) {
    // Connection: close, so a body this never reads is not taken for the next request.
    res.writeHead(400, { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff", "cache-control": "no-store", connection: "close" });
    res.end("Bad request: malformed request target\n");
    return;
  }
  secureRequestHeaders(req);
  handle(req, res).catch((error) => {
    console.error(error);
    if (!res.headersSent) res.writeHead(500).end();
  });
});
server.on("error", (error) => failAndStop(error.message));
await new Promise((resolve) => server.listen(port, host, resolve));

// A protected call without a token: answers 401 once the database is open, 503 if it is not.
// node:http, not fetch: Next.js replaces the global fetch in its own process.
const status = await new Promise((resolve) => {
  get(`${url}/api/trpc/auth.me`, (res) => {
    res.resume();
    resolve(res.statusCode);
  }).on("error", () => resolve(0));
});
if (status === 503) console.warn("bearer-kit web: the database is unavailable; the API answers 503 until it is back.");
console.log(`bearer-kit web listening on ${url}${isWildcard(host) ? ` (bound to ${host}, all interfaces)` : ""}`);
