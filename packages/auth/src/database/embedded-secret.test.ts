import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { embeddedSecret } from "./embedded-secret.ts";

const roots: string[] = [];
async function freshRoot(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "bk-secret-"));
  roots.push(root);
  return root;
}
afterEach(async () => {
  await Promise.all(roots.splice(0).map((root) => rm(root, { recursive: true, force: true })));
});

const packageDir = fileURLToPath(new URL("../..", import.meta.url));
const child = join(packageDir, "test", "fixtures", "embedded-secret-child.ts");

describe("embeddedSecret", () => {
  it("generates a strong secret once, beside the data, readable only by its owner, and says so", async () => {
    const root = await freshRoot();
    const logs: string[] = [];
    const first = await embeddedSecret(join(root, ".data", "pglite"), (line) => logs.push(line));
    expect(new TextEncoder().encode(first).byteLength).toBeGreaterThanOrEqual(64);
    const file = join(root, ".data", "auth-secret");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(logs).toEqual([expect.stringContaining(file)]);

    const again = await embeddedSecret(join(root, ".data", "pglite"), (line) => logs.push(line));
    expect(again).toBe(first);
    expect(logs).toHaveLength(1);
    expect(await readdir(join(root, ".data"))).toEqual(["auth-secret"]); // no temporary file left behind
  });

  it("gives 100 overlapping first calls in one process one secret, generated and announced once", async () => {
    const dataDir = join(await freshRoot(), ".data", "pglite");
    const logs: string[] = [];
    // Started one event-loop turn apart, so some read the file while another call is writing it.
    const calls: Promise<string>[] = [];
    for (let i = 0; i < 100; i++) {
      calls.push(embeddedSecret(dataDir, (line) => logs.push(line)));
      await new Promise((resolve) => setImmediate(resolve));
    }
    const secrets = await Promise.all(calls);
    expect(secrets[0]).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(new Set(secrets)).toEqual(new Set([secrets[0]]));
    expect(logs).toHaveLength(1);
  });

  it("gives processes starting at the same moment one and the same non-empty secret", async () => {
    const root = await freshRoot();
    const [processes, rounds] = [6, 20];
    const startAt = String(Date.now() + 2000); // once every process has loaded
    const run = promisify(execFile);
    const outputs = await Promise.all(
      Array.from({ length: processes }, () =>
        run(process.execPath, ["--import", "tsx", child, root, startAt, String(rounds)], { cwd: packageDir }),
      ),
    );
    const perProcess = outputs.map(({ stdout }) => JSON.parse(stdout) as string[]);
    for (let round = 0; round < rounds; round++) {
      const secrets = perProcess.map((secrets) => secrets[round]);
      expect(secrets[0]).toMatch(/^[A-Za-z0-9_-]{64}$/);
      expect(new Set(secrets)).toEqual(new Set([secrets[0]]));
      expect(await readdir(join(root, String(round)))).toEqual(["auth-secret"]); // no temporary file left behind
    }
  });

  it("refuses an empty secret file with a message naming it, rather than signing with an empty key", async () => {
    const root = await freshRoot();
    const file = join(root, ".data", "auth-secret");
    await embeddedSecret(join(root, ".data", "pglite"), () => {});
    await writeFile(file, "\n");
    await expect(embeddedSecret(join(root, ".data", "pglite"), () => {})).rejects.toThrow(file);
  });
});
