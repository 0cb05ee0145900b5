import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";

export interface RunningChild {
  /** Milliseconds from spawn to the ready line. */
  readyAfterMs: number;
  /** The ready line's match. */
  match: RegExpMatchArray;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  command: string;
  args: string[];
  env: Record<string, string | undefined>;
  cwd?: string;
  /** The stdout line that says the child is ready. */
  ready: RegExp;
  timeoutMs?: number;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

/**
 * Spawns a process and resolves once it prints a line matching `ready`; its stderr passes
 * through, so a failing server says why. Rejects if it exits or times out first.
 */
export function spawnUntilReady(options: SpawnOptions): Promise<RunningChild> {
  const started = performance.now();
  const child = spawn(options.command, options.args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stderr?.on("data", (chunk: Buffer) => process.stderr.write(chunk));
  return new Promise((resolve, reject) => {
    const fail = (message: string) => {
      clearTimeout(timer);
      void stopChild(child).finally(() => reject(new Error(`${message}\n${output.slice(-2000)}`)));
    };
    const timer = setTimeout(() => fail(`${options.args.join(" ")}: not ready after ${options.timeoutMs ?? 60_000} ms`), options.timeoutMs ?? 60_000);
    child.on("exit", (code) => fail(`${options.args.join(" ")} exited with code ${code ?? "?"} before it was ready`));
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = options.ready.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.removeAllListeners("exit");
      child.stdout?.removeAllListeners("data");
      child.stdout?.resume();
      resolve({ readyAfterMs: performance.now() - started, match, stop: () => stopChild(child) });
    });
  });
}
