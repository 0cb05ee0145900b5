import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const WEB_DIR = join(import.meta.dirname, "..", "..", "apps", "web");

/** A built app process started by a test, with everything it printed so far. */
export interface AppProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code once the process ends. */
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

/**
 * Starts the production build the way a user might: `["scripts/start.mjs"]` (`pnpm start`) or
 * Next's own CLI (`["node_modules/next/dist/bin/next", "start"]`), on a fresh PGlite directory.
 *
 * @example const app = spawnApp(["scripts/start.mjs"], { PORT: "3220", AUTH_TRUSTED_PROXIES: "1" });
 */
export function spawnApp(args: string[], env: Record<string, string>): AppProcess {
  const child = spawn(process.execPath, args, {
    cwd: WEB_DIR,
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      HOSTNAME: "127.0.0.1",
      PGLITE_DATA_DIR: join(mkdtempSync(join(tmpdir(), "bk-spawn-")), "pglite"),
      AUTH_SECRET: "e2e-only-secret-0123456789abcdefghijklmnopqrstuv",
      ...env,
    },
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  return {
    child,
    output: () => output,
    exited,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

/**
 * Waits until the app prints `text`, or throws with what it printed when it exits or times out.
 *
 * @example await waitForOutput(app, /listening on/, 60_000);
 */
export async function waitForOutput(app: AppProcess, text: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!text.test(app.output())) {
    if (app.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`the app never printed ${String(text)}; it printed:\n${app.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
