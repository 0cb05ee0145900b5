// Serves the production build with `next start` on PORT (default 3000) and HOSTNAME (default
// localhost, so nothing is exposed to the network unless asked), then prints one line saying
// where the app answers. Next's own banner appears before the app is truly ready; ours waits for
// an API call to come back, which also opens the database and runs migrations (the first request
// would otherwise pay for that).
import { spawn } from "node:child_process";
import console from "node:console";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import process from "node:process";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

const appDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const POLL_MS = 200;

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

if (!existsSync(join(appDir, ".next", "BUILD_ID"))) {
  fail("no production build in apps/web/.next; run `pnpm --filter @bearer-kit/web build` first.");
}

const nextBin = createRequire(join(appDir, "package.json")).resolve("next/dist/bin/next");
const child = spawn(process.execPath, [nextBin, "start", "--port", String(port), "--hostname", host], {
  cwd: appDir,
  stdio: "inherit",
  env: process.env,
});

let exited = false;
child.on("exit", (code, signal) => {
  exited = true;
  process.exit(code ?? (signal ? 1 : 0));
});

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    if (!exited) child.kill(signal);
  });
}

async function waitUntilReady() {
  while (!exited) {
    try {
      // A protected call without a token: answers 401 once the database is open, 503 if it is not.
      const response = await globalThis.fetch(`${url}/api/trpc/auth.me`, { redirect: "manual" });
      await response.body?.cancel();
      if (response.status === 503) console.warn("bearer-kit web: the database is unavailable; the API answers 503 until it is back.");
      console.log(`bearer-kit web listening on ${url}${isWildcard(host) ? ` (bound to ${host}, all interfaces)` : ""}`);
      return;
    } catch {
      await sleep(POLL_MS);
    }
  }
}

await waitUntilReady();
