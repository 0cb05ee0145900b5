import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Auth } from "../../src/create-auth.ts";
import { createAuthFromEnv } from "../../src/create-auth-from-env.ts";
import type { Database } from "../../src/database/database.ts";
import { loadAuthEnv } from "../../src/config/env.ts";
import { callKeyAdmin, keyAdminFile, keyAdminOwner } from "../../src/keys/key-admin.ts";
import { testBackend } from "../../src/testing/index.ts";
import { email, PASSWORD } from "../fixture.ts";

const run = promisify(execFile);

// The embedded case only: an app holding a PGlite directory serves `pnpm keys` itself.
describe.runIf(testBackend() === "pglite")("pnpm keys against a running app on embedded PGlite", () => {
  let dir: string;
  let opened: { auth: Auth; database: Database };
  const dataDir = () => join(dir, "pglite");

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "bk-key-admin-"));
    opened = await createAuthFromEnv(loadAuthEnv({ PGLITE_DATA_DIR: join(dir, "pglite") }), { log: () => {} });
  });
  afterAll(async () => {
    await opened?.database.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("advertises a loopback endpoint in a 0600 file, and refuses a wrong token", async () => {
    const file = keyAdminFile(dataDir());
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const { port } = JSON.parse(await readFile(file, "utf8")) as { port: number };
    const response = await fetch(`http://127.0.0.1:${port}/keys`, {
      method: "POST",
      headers: { authorization: "Bearer wrong" },
      body: JSON.stringify({ op: "rotate" }),
    });
    expect(response.status).toBe(401);
  });

  it("the CLI rotates through the app: old tokens stay valid, new ones carry the new kid", async () => {
    const before = await opened.auth.register({ email: email(), password: PASSWORD, name: "Ann" });
    const next = (await callKeyAdmin(dataDir(), { op: "list" }))?.find((key) => key.state === "next");
    const env = { ...process.env, PGLITE_DATA_DIR: dataDir(), DATABASE_URL: "" };
    const { stdout } = await run("node_modules/.bin/tsx", ["scripts/keys.ts", "rotate", "--force"], { env });
    expect(stdout).toMatch(new RegExp(`${next?.kid}\\s+ES256\\s+current`));
    const after = await opened.auth.register({ email: email(), password: PASSWORD, name: "Bo" });
    expect(decodeProtectedHeader(after.accessToken).kid).toBe(next?.kid);
    expect(await opened.auth.checkBearerToken(before.accessToken)).toMatchObject(before.user);

    const refused = await run("node_modules/.bin/tsx", ["scripts/keys.ts", "rotate"], { env }).catch((error: { stderr: string }) => error);
    expect("stderr" in refused && refused.stderr).toMatch(/less than 300 s ago/);
  });

  it("names the live app as the owner, and ignores an advert left by a process that has ended", async () => {
    expect(await keyAdminOwner(dataDir())).toBe(process.pid);
    const other = join(dir, "stale", "pglite");
    await mkdir(join(dir, "stale"), { recursive: true });
    // A pid beyond Linux's pid_max: certainly not running.
    await writeFile(keyAdminFile(other), JSON.stringify({ port: 1, token: "x", pid: 2 ** 22 + 1 }));
    expect(await keyAdminOwner(other)).toBeNull();
  });

  it("retire through the app refuses that key's tokens at once", async () => {
    const { accessToken } = await opened.auth.register({ email: email(), password: PASSWORD, name: "Cy" });
    const kid = decodeProtectedHeader(accessToken).kid ?? "";
    const keys = await callKeyAdmin(dataDir(), { op: "retire", kid });
    expect(keys?.find((key) => key.kid === kid)?.state).toBe("retired");
    expect(await opened.auth.checkBearerToken(accessToken)).toBeNull();
  });
});
