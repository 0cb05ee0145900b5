#!/usr/bin/env node
// Brings a fresh clone to a runnable state with nothing but Node and npm:
// pnpm (if missing), the locked dependencies, and with --browser a Chromium for Playwright.
import { execSync } from "node:child_process";
import { existsSync } from "node:fs";

const run = (command) => execSync(command, { stdio: "inherit" });
const has = (command) => {
  try {
    execSync(command, { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};

if (!has("pnpm --version")) {
  console.log("bootstrap: installing pnpm 10 (npm i -g pnpm@10)");
  run("npm i -g pnpm@10");
}

run("pnpm install --frozen-lockfile --prefer-offline --reporter=silent");

if (process.argv.includes("--browser") && !existsSync("/usr/bin/chromium")) {
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (isRoot && has("command -v apt-get")) {
    console.log("bootstrap: installing Debian's chromium for the e2e tests");
    run("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium");
  } else {
    console.log("bootstrap: /usr/bin/chromium not found; using Playwright's own Chromium");
    run("pnpm --filter @bearer-kit/e2e exec playwright install chromium");
  }
}
