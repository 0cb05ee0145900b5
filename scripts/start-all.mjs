#!/usr/bin/env node
// `npm start`: serves the web app (apps/web, on PORT, default 3000) and the notes service
// (apps/notes, on NOTES_PORT, default 3001) side by side, with plain Node and no dependencies.
//
// The notes service is pointed at this web app unless told otherwise: NOTES_JWKS_URL is the web
// app's JWKS, NOTES_ALLOWED_ORIGIN its origin (APP_URL, else http://localhost:PORT, the web app's
// own default for APP_URL), and the web app's NOTES_URL is the notes service. The notes service
// also follows the web app's security-event feed, so "Sign out everywhere" reaches it within a
// second: each start makes a fresh receiver credential and gives it to both apps (the web app
// registers it from AUTH_SECURITY_EVENT_RECEIVERS="notes=<credential>", notes presents it as
// NOTES_RECEIVER_CREDENTIAL), unless NOTES_RECEIVER_CREDENTIAL is set, e.g. for a receiver made
// with `pnpm receivers add notes`. Each line of output is prefixed with its app's name.
// Ctrl-C or SIGTERM stops both; if either one dies, the other is stopped and this exits non-zero.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import process from "node:process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const env = process.env;
const orUnset = (value, fallback) => (value === undefined || value === "" ? fallback : value);

const port = orUnset(env.PORT, "3000");
const notesPort = orUnset(env.NOTES_PORT, "3001");
const webOrigin = orUnset(env.APP_URL, `http://localhost:${port}`).replace(/\/+$/, "");
const shared = {
  ...env,
  PORT: port,
  NOTES_PORT: notesPort,
  NOTES_URL: orUnset(env.NOTES_URL, `http://localhost:${notesPort}`),
  NOTES_JWKS_URL: orUnset(env.NOTES_JWKS_URL, `http://localhost:${port}/.well-known/jwks.json`),
  NOTES_ALLOWED_ORIGIN: orUnset(env.NOTES_ALLOWED_ORIGIN, new URL(webOrigin).origin),
};

// A receiver credential is a bearer secret for the feed: 256 random bits, new on every start,
// and only in the two children's environments (never printed, never on a command line).
const receivers = orUnset(env.AUTH_SECURITY_EVENT_RECEIVERS, "");
const listed = /(?:^|,)\s*notes=([^,]+)/.exec(receivers)?.[1]?.trim();
const receiverCredential = orUnset(env.NOTES_RECEIVER_CREDENTIAL, listed ?? `ser_${randomBytes(32).toString("base64url")}`);
const registered = env.NOTES_RECEIVER_CREDENTIAL !== undefined && env.NOTES_RECEIVER_CREDENTIAL !== "";
const webEnv = {
  ...shared,
  AUTH_SECURITY_EVENT_RECEIVERS: registered || listed ? receivers : [receivers, `notes=${receiverCredential}`].filter(Boolean).join(","),
};
const notesEnv = { ...shared, NOTES_RECEIVER_CREDENTIAL: receiverCredential };

// Both run their production builds with plain Node: the root `start` script builds them first
// (turbo: `next build` for the web app, tsdown to dist/main.js for the notes service, and the
// packages' dist they import), and a restart with unchanged code is a cache hit, not a rebuild.
const apps = [
  { name: "web", cwd: join(root, "apps/web"), args: ["scripts/start.mjs"], env: webEnv },
  { name: "notes", cwd: join(root, "apps/notes"), args: ["dist/main.js"], env: notesEnv },
];
const notesMain = join(root, "apps/notes/dist/main.js");
if (!existsSync(notesMain)) {
  console.error("bearer-kit: no build of the notes service in apps/notes/dist; `npm start` builds it before it starts.");
  process.exit(1);
}
const width = Math.max(...apps.map((app) => app.name.length));
const addresses = new Map();
let stopping = false;
let exitCode = 0;

function forward(stream, target, app) {
  const prefix = `[${app.name.padEnd(width)}] `;
  createInterface({ input: stream, crlfDelay: Infinity }).on("line", (line) => {
    target.write(`${prefix}${line}\n`);
    const address = /listening on (\S+)/.exec(line)?.[1];
    if (address && !addresses.has(app.name)) {
      addresses.set(app.name, address);
      if (addresses.size === apps.length) {
        console.log(`bearer-kit: web app on ${addresses.get("web")}, notes service on ${addresses.get("notes")}`);
      }
    }
  });
}

function stopAll(signal) {
  for (const app of apps) if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill(signal);
}

for (const app of apps) {
  app.child = spawn(process.execPath, app.args, { cwd: app.cwd, env: app.env, stdio: ["ignore", "pipe", "pipe"] });
  forward(app.child.stdout, process.stdout, app);
  forward(app.child.stderr, process.stderr, app);
  app.child.on("error", (error) => console.error(`bearer-kit: cannot start ${app.name}: ${error.message}`));
  app.child.on("exit", (code, signal) => {
    if (!stopping) {
      // One app without the other is not what `npm start` promises: stop both and say so.
      console.error(`bearer-kit: ${app.name} exited (${signal ?? `code ${code}`}); stopping the other app.`);
      stopping = true;
      exitCode = 1;
      stopAll("SIGTERM");
    }
    if (apps.every((other) => other.child.exitCode !== null || other.child.signalCode !== null)) process.exit(exitCode);
  });
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    stopAll(signal);
  });
}
