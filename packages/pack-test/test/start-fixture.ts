import { type ChildProcess, spawn } from "node:child_process";
import { cleanEnv } from "./install-tarballs.ts";

export interface FixtureServer {
  origin: string;
  /** The process's exit code once it has ended, `null` while it runs. */
  exitCode(): number | null;
  /** Everything it wrote to stderr, for failure messages. */
  stderr(): string;
  stop(): Promise<void>;
}

/** Runs `node <script>` in `cwd` until it prints `{"port": n}`. */
export function startFixture(options: { cwd: string; script: string; env: Record<string, string> }): Promise<FixtureServer> {
  const child: ChildProcess = spawn(process.execPath, [options.script], { cwd: options.cwd, env: cleanEnv(options.env) });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    let stdout = "";
    child.once("exit", (code) => reject(new Error(`${options.script} exited with ${code} before listening:\n${stderr}`)));
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split("\n").find((candidate) => candidate.startsWith("{"));
      if (!line) return;
      const { port } = JSON.parse(line) as { port: number };
      resolve({
        origin: `http://127.0.0.1:${port}`,
        exitCode: () => child.exitCode,
        stderr: () => stderr,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once("exit", () => done());
            child.kill();
          }),
      });
    });
  });
}
