import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface AppServer {
  url: string;
  stop(): Promise<void>;
}

function stopped(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.on("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/**
 * Starts another copy of the built app (scripts/start.mjs) with `env`, on its own embedded
 * database, and resolves once it says it is listening.
 *
 * @example const app = await startApp({ APP_URL: "https://bk.example" }, 3305); ...; await app.stop();
 */
export function startApp(env: Record<string, string>, port: number): Promise<AppServer> {
  const child = spawn(process.execPath, ["scripts/start.mjs"], {
    cwd: join(import.meta.dirname, "..", "..", "apps", "web"),
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      PORT: String(port),
      HOSTNAME: "localhost",
      DATABASE_URL: "",
      PGLITE_DATA_DIR: join(mkdtempSync(join(tmpdir(), "bk-app-")), "pglite"),
      AUTH_SECRET: "e2e-only-secret-0123456789abcdefghijklmnopqrstuv",
      ...env,
    },
  });
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => {
      void stopped(child);
      reject(new Error(`the app did not start within 60 s:\n${output}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!/listening on/.test(output)) return;
      clearTimeout(timer);
      resolve({ url: `http://localhost:${port}`, stop: () => stopped(child) });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the app exited (${code}):\n${output}`));
    });
  });
}
