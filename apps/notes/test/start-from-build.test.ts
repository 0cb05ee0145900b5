// `npm start` runs the notes service from its build (dist/main.js) with plain Node: no tsx and
// no source condition, so `@bearer-kit/auth/verify` resolves to that package's dist. This runs
// the package's own `start` command the same way and checks that the service serves a verified
// request. `turbo run test` builds dist first (turbo.json: the notes test depends on its build).
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestSigningKey, signTestAccessToken, startJWKSServer, type TestJWKSServer, testBackend } from "@bearer-kit/auth/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const APP_DIR = join(import.meta.dirname, "..");
const manifest = JSON.parse(readFileSync(join(APP_DIR, "package.json"), "utf8")) as { scripts: Record<string, string> };

/** A port nothing listens on right now: NOTES_PORT has no "any port" value. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  return address.port;
}

/** Resolves once the child prints its "listening" line; rejects with its output if it exits. */
function listening(child: ChildProcess): Promise<void> {
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not listening after 30 s:\n${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes("bearer-kit notes listening on")) return;
      clearTimeout(timer);
      resolve();
    };
    child.stdout?.on("data", read);
    child.stderr?.on("data", read);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with code ${code ?? "?"} before listening:\n${output}`));
    });
  });
}

// The database the build opens is the source's business, tested on both backends by the other
// files; this is about how it starts, so it runs once, on embedded PGlite in a fresh folder.
describe.runIf(testBackend() === "pglite")("the notes service started from its build", () => {
  let dataRoot: string;
  let jwks: TestJWKSServer;
  let child: ChildProcess;
  let base: string;
  let key: Awaited<ReturnType<typeof createTestSigningKey>>;

  beforeAll(async () => {
    expect(existsSync(join(APP_DIR, "dist", "main.js")), "apps/notes/dist/main.js is missing: run `pnpm turbo run build --filter=@bearer-kit/notes` first").toBe(true);
    key = await createTestSigningKey();
    jwks = await startJWKSServer([key.publicJwk]);
    dataRoot = await mkdtemp(join(tmpdir(), "bk-notes-dist-"));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const [command, ...args] = manifest.scripts.start?.split(" ") ?? [];
    expect(command).toBe("node");
    // Only what the service needs: no NODE_OPTIONS, so nothing can add a loader or a condition.
    child = spawn(process.execPath, args, {
      cwd: APP_DIR,
      env: {
        PATH: process.env.PATH ?? "",
        HOSTNAME: "127.0.0.1",
        NOTES_PORT: String(port),
        NOTES_PGLITE_DATA_DIR: join(dataRoot, "pglite"),
        NOTES_JWKS_URL: jwks.url,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    await listening(child);
  }, 60_000);

  afterAll(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    await jwks.close();
    await rm(dataRoot, { recursive: true, force: true });
  });

  it("is started by `node dist/main.js`, with no TypeScript loader", () => {
    expect(manifest.scripts.start).toBe("node dist/main.js");
  });

  it("verifies a token against the JWKS and stores the user's note", async () => {
    const token = await signTestAccessToken(key);
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    expect((await fetch(`${base}/notes`)).status).toBe(401);
    expect((await fetch(`${base}/notes`, { method: "POST", headers, body: JSON.stringify({ text: "from dist" }) })).status).toBe(201);
    const { notes } = (await (await fetch(`${base}/notes`, { headers })).json()) as { notes: { text: string }[] };
    expect(notes.map((note) => note.text)).toEqual(["from dist"]);
  });
});
