import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { embeddedSecret } from "./embedded-secret.ts";

describe("embeddedSecret", () => {
  it("generates a strong secret once, beside the data, readable only by its owner, and says so", async () => {
    const root = await mkdtemp(join(tmpdir(), "bk-secret-"));
    const logs: string[] = [];
    const first = await embeddedSecret(join(root, ".data", "pglite"), (line) => logs.push(line));
    expect(new TextEncoder().encode(first).byteLength).toBeGreaterThanOrEqual(64);
    const file = join(root, ".data", "auth-secret");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(logs).toEqual([expect.stringContaining(file)]);

    const again = await embeddedSecret(join(root, ".data", "pglite"), (line) => logs.push(line));
    expect(again).toBe(first);
    expect(logs).toHaveLength(1);
    await rm(root, { recursive: true, force: true });
  });
});
