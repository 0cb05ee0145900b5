// The packages as a stranger gets them: packed, npm-installed into an empty directory outside
// the repository, and run by plain Node 20 (no tsx, no TypeScript, no workspace conditions).
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { testDatabaseUrl } from "@bearer-kit/auth/testing";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// The same proxy as the API's own fault test: one implementation of "the network cut the connection".
import { startTcpProxy, type TcpProxy } from "../../api/test/faults/tcp-proxy.ts";
import { cleanEnv, installApp, type Packed, packPackages, workspaceSpec } from "./install-tarballs.ts";
import { type FixtureServer, startFixture } from "./start-fixture.ts";

const run = promisify(execFile);
let packed: Packed;
/** All three tarballs installed, as an app serving the API and its React pages does. */
const installed = { appDir: "" };
/** The auth tarball alone, as an app that only needs the core does. */
let authOnlyDir = "";

beforeAll(async () => {
  packed = await packPackages(["auth", "api", "react"]);
  installed.appDir = join(packed.root, "app");
  // What a React app adds itself: react-dom is no peer of @bearer-kit/react (no renderer is), and
  // pinning the peers keeps npm from choosing versions the package was not tested with.
  const appDependencies = await Promise.all(
    ["react", "react-dom", "@trpc/client", "@trpc/server"].map((name) => workspaceSpec("react", name)),
  );
  const both = await installApp({
    dir: installed.appDir,
    tarballs: [packed.tarballs.auth ?? "", packed.tarballs.api ?? "", packed.tarballs.react ?? ""],
    fixtures: ["consumer.mjs", "consumer-types.ts", "fault-server.mjs", "react-consumer.mjs"],
    dependencies: appDependencies,
  });
  authOnlyDir = join(packed.root, "auth-only");
  const authOnly = await installApp({ dir: authOnlyDir, tarballs: [packed.tarballs.auth ?? ""], fixtures: ["consumer.mjs", "embedded-worker.mjs"] });
  console.log(`pack-test: ${JSON.stringify({ tarballs: packed.sizes, seconds: { pack: packed.seconds, install: both.seconds, installAuthOnly: authOnly.seconds } })}`);
});

afterAll(async () => {
  if (packed) await rm(packed.root, { recursive: true, force: true });
});

/** Runs a consumer fixture with plain node in `cwd` and returns what it printed. */
async function runConsumer(cwd: string, script = "consumer.mjs"): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, [script], { cwd, env: cleanEnv() });
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as Record<string, unknown>;
}

const CORE_FLOW = {
  kind: "pglite",
  tokenHeader: { alg: "ES256", kid: expect.any(String) },
  user: { email: "ann@example.com", name: "Ann" },
  forged: null,
  wrongPassword: "INVALID_CREDENTIALS",
  client: { min: 8 },
};

const manifestOf = async (name: string) =>
  JSON.parse(await readFile(join(installed.appDir, "node_modules", name, "package.json"), "utf8")) as Record<string, Record<string, string>>;

/** Every module specifier a built file imports, statically or dynamically. */
const importsOf = (source: string) => [...source.matchAll(/\b(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map((match) => match[1] ?? "");

describe("npm pack, npm install, plain node", () => {
  it("installs with real dependency versions: no workspace: or catalog: specifiers", async () => {
    for (const name of ["@bearer-kit/auth", "@bearer-kit/api", "@bearer-kit/react"]) {
      const manifest = await manifestOf(name);
      const specs = Object.values({ ...manifest.dependencies, ...manifest.peerDependencies });
      expect(specs.filter((spec) => /^(workspace|catalog):/.test(spec))).toEqual([]);
      expect(manifest.license).toBe("MIT");
    }
    expect((await manifestOf("@bearer-kit/api")).dependencies?.["@bearer-kit/auth"]).toBe("0.1.0");
    expect((await manifestOf("@bearer-kit/react")).peerDependencies?.["@bearer-kit/api"]).toBe("^0.1.0");
  });

  it("runs @bearer-kit/react under plain node: the bindings through react-dom/server, the core against the live API", async () => {
    const seen = await runConsumer(installed.appDir, "react-consumer.mjs");
    expect(String(seen.resolved)).toMatch(/\/app\/node_modules\/@bearer-kit\/react\/dist\/index\.js$/);
    expect(seen).toEqual({
      resolved: seen.resolved,
      html: "<p>restoring/idle</p>",
      // The refresh token went to the httpOnly cookie, as a browser keeps it.
      cookies: ["bk_refresh"],
      user: { email: "ann@example.com", name: "Ann" },
      me: { email: "ann@example.com" },
      refreshed: "refreshed",
      rotated: true,
      meAfterRefresh: { email: "ann@example.com" },
      ended: [null],
      afterSignOut: { status: "signed-out", reason: null },
      refreshAfterSignOut: "signed-out",
    });
  });

  it("runs a plain .mjs: PGlite, migrate, register, sign in, checkBearerToken, and auth.me over HTTP", async () => {
    const seen = await runConsumer(installed.appDir);
    expect(String(seen.resolved)).toMatch(/^file:\/\/.*\/app\/node_modules\/@bearer-kit\/auth\/dist\/index\.js$/);
    expect(seen).toMatchObject({
      ...CORE_FLOW,
      me: { status: 200, body: { result: { data: { email: "ann@example.com" } } } },
      anonymous: { status: 401, authenticate: "Bearer" },
    });
  });

  it("runs the core from the auth tarball alone", async () => {
    const seen = await runConsumer(authOnlyDir);
    expect(String(seen.resolved)).toMatch(/\/auth-only\/node_modules\/@bearer-kit\/auth\/dist\/index\.js$/);
    expect(seen).toMatchObject({ ...CORE_FLOW, me: null });
  });

  it("types a TypeScript consumer through the tarballs' .d.ts (NodeNext resolution)", async () => {
    const tsconfig = {
      compilerOptions: {
        module: "nodenext",
        moduleResolution: "nodenext",
        target: "es2022",
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ["node"],
        typeRoots: [join(import.meta.dirname, "../node_modules/@types")],
      },
      files: ["consumer-types.ts"],
    };
    await writeFile(join(installed.appDir, "tsconfig.json"), JSON.stringify(tsconfig));
    const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
    const result = await run(process.execPath, [tsc, "-p", "."], { cwd: installed.appDir }).catch((error: { stdout: string }) => error);
    expect(result.stdout).toBe("");
  });

  /** The packages a built entry imports, through every file of its own that it reaches. */
  async function externalImports(packageName: string, entry: string): Promise<string[]> {
    const dist = join(installed.appDir, "node_modules", packageName, "dist");
    const seen = new Set<string>();
    const visit = async (file: string): Promise<string[]> => {
      if (seen.has(file)) return [];
      seen.add(file);
      const specifiers = importsOf(await readFile(join(dist, file), "utf8"));
      const own = (specifier: string) => specifier.startsWith("./") || specifier.startsWith("../");
      // Relative to the importing file: a nested entry imports its chunks from "../".
      const nested = await Promise.all(specifiers.filter(own).map((s) => visit(join(dirname(file), s))));
      return [...specifiers.filter((s) => !own(s)), ...nested.flat()];
    };
    return [...new Set(await visit(entry))].sort();
  }

  it("ships a client entry whose built graph holds no server dependency", async () => {
    // jose alone: the DPoP helper signs proofs with it, in browsers, Node and edge runtimes.
    expect(await externalImports("@bearer-kit/auth", "client.js")).toEqual(["jose"]);
  });

  it("ships an embedded-database entry that loads PGlite and nothing else", async () => {
    // A start script imports it before its framework, to open the database early: it must stay light.
    expect(await externalImports("@bearer-kit/auth", "database/open-embedded-database.js")).toEqual([
      "@electric-sql/pglite",
      "@electric-sql/pglite/template",
      "node:crypto",
      "node:fs",
      "node:fs/promises",
      "node:module",
      "node:path",
      "node:worker_threads",
    ]);
  });

  it("opens an embedded database on a worker thread from the installed tarball", async () => {
    expect(await runConsumer(authOnlyDir, "embedded-worker.mjs")).toEqual({ rows: [{ n: 42 }], failed: "42P01", closed: true });
    // Flags reach an evaluated worker: under --input-type=module its code is an ES module, where
    // `require` does not exist.
    const source = await readFile(join(authOnlyDir, "embedded-worker.mjs"), "utf8");
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", source], { cwd: authOnlyDir, env: cleanEnv() });
    expect(JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}")).toEqual({ rows: [{ n: 42 }], failed: "42P01", closed: true });
  });

  it("ships a session core that imports no React, and no server code", async () => {
    // @bearer-kit/auth/client only (the DPoP key and proofs), itself free of server code (above).
    expect(await externalImports("@bearer-kit/react", "client.js")).toEqual(["@bearer-kit/auth/client", "@trpc/client", "@trpc/server/observable", "eventsource"]);
    expect(await externalImports("@bearer-kit/react", "index.js")).toEqual([
      "@bearer-kit/auth/client",
      "@trpc/client",
      "@trpc/server/observable",
      "eventsource",
      "react",
    ]);
  });

  it("bundles the patched postgres.js: dist never imports the registry's copy", async () => {
    const dist = join(installed.appDir, "node_modules/@bearer-kit/auth/dist");
    const { stdout } = await run("grep", ["-rl", "--include=*.js", "socket === null", dist]);
    expect(stdout.trim()).not.toBe(""); // the patch's guard in nextWrite
    const { stdout: files } = await run("find", [dist, "-name", "*.js"]);
    for (const file of files.trim().split("\n")) {
      expect(importsOf(await readFile(file, "utf8"))).not.toContain("postgres");
    }
  });
});

interface Call {
  status: number;
  body: { result?: { data: Record<string, unknown> }; error?: { data: { authCode: string | null } } };
}

// postgres.js unpatched throws an uncatchable TypeError when a connection closes between
// scheduling and flushing a write, ending the process. The installed package must survive it.
describe("the installed package on PostgreSQL, connections cut mid-request", () => {
  const name = `bk_pack_${randomBytes(5).toString("hex")}`;
  const admin = postgres(testDatabaseUrl(), { max: 1, onnotice: () => {} });
  let proxy: TcpProxy;
  let server: FixtureServer;

  beforeAll(async () => {
    await admin.unsafe(`create database ${name}`);
    const url = new URL(testDatabaseUrl());
    url.pathname = `/${name}`;
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.port = String(proxy.port);
    server = await startFixture({ cwd: installed.appDir, script: "fault-server.mjs", env: { DATABASE_URL: url.toString() } });
  });

  afterAll(async () => {
    await server?.stop();
    await proxy?.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  });

  async function call(path: string, input?: unknown): Promise<Call> {
    const init = input === undefined ? {} : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(input) };
    const response = await fetch(`${server.origin}/api/trpc/${path}`, init);
    return { status: response.status, body: (await response.json()) as Call["body"] };
  }
  const register = () => call("auth.register", { email: `${randomBytes(6).toString("hex")}@example.com`, password: "correct horse battery", name: "Cy" });

  it("survives repeated cuts, answers 503 DATABASE_UNAVAILABLE while down, and recovers", async () => {
    const holders = await Promise.all(Array.from({ length: 4 }, () => register()));
    const refreshTokens = holders.map((holder) => String(holder.body.result?.data.refreshToken));
    const statuses = new Set<number>();
    for (let round = 0; round < 12; round++) {
      const work = [
        ...Array.from({ length: 4 }, async () => statuses.add((await register()).status)),
        ...refreshTokens.map(async (token, index) => {
          const result = await call("auth.refresh", { refreshToken: token });
          statuses.add(result.status);
          const next = result.body.result?.data.refreshToken;
          if (typeof next === "string") refreshTokens[index] = next;
        }),
      ];
      // Every connection cut while those requests are in flight, as pg_terminate_backend would.
      setTimeout(() => proxy.cut(), 2 + round * 5);
      await Promise.allSettled(work);
      expect(server.exitCode(), server.stderr()).toBeNull();
    }
    expect([...statuses].filter((status) => status >= 500 && status !== 503)).toEqual([]);

    await proxy.down();
    const down = await call("auth.signin", { email: "nobody@example.com", password: "correct horse battery" });
    expect({ status: down.status, authCode: down.body.error?.data.authCode }).toEqual({ status: 503, authCode: "DATABASE_UNAVAILABLE" });
    await proxy.up();
    expect((await register()).status).toBe(200);
    expect(server.exitCode(), server.stderr()).toBeNull();
  });
});
