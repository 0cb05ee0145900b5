// PostgreSQL going away under the running API: every procedure answers 503 quickly, nothing
// half-done is returned, and service resumes by itself. The app reaches the real server through
// a TCP proxy the test takes down and brings back, so other test files on the server are untouched
// and the server is "restored" by construction, even when an assertion fails.
import { randomBytes } from "node:crypto";
import { createAuth, createDatabase, type Database, migrate } from "@bearer-kit/auth";
import { TEST_PASSWORD_PARAMS, TEST_SECRET, testBackend, testDatabaseUrl } from "@bearer-kit/auth/testing";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFetchHandler } from "../../src/index.ts";
import { startTcpProxy, type TcpProxy } from "../faults/tcp-proxy.ts";
import { email, PASSWORD } from "../fixture.ts";
import { startServer, type TestServer } from "../http-server.ts";

interface Call {
  status: number;
  body: { result?: { data: Record<string, unknown> }; error?: { message: string; data: { authCode: string | null } } };
  ms: number;
}

describe.runIf(testBackend() === "postgres")("database faults", () => {
  const name = `bk_faults_${randomBytes(5).toString("hex")}`;
  const admin = postgres(testDatabaseUrl(), { max: 1, onnotice: () => {} });
  let observer: ReturnType<typeof postgres>;
  let proxy: TcpProxy;
  let database: Database;
  let server: TestServer;

  async function call(path: string, input: unknown, token?: string): Promise<Call> {
    const started = Date.now();
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (token) headers.authorization = `Bearer ${token}`;
    const query = path === "auth.me" || path === "account.sessions";
    const response = await fetch(`${server.origin}/api/trpc/${path}`, query ? { headers } : { method: "POST", headers, body: JSON.stringify(input) });
    return { status: response.status, body: (await response.json()) as Call["body"], ms: Date.now() - started };
  }

  async function register(): Promise<{ accessToken: string; refreshToken: string; address: string }> {
    const address = email("fault");
    const { body } = await call("auth.register", { email: address, password: PASSWORD, name: "Ann" });
    const data = body.result?.data ?? {};
    return { accessToken: String(data.accessToken), refreshToken: String(data.refreshToken), address };
  }

  beforeAll(async () => {
    await admin.unsafe(`create database ${name}`);
    const url = new URL(testDatabaseUrl());
    url.pathname = `/${name}`;
    observer = postgres(url.toString(), { max: 1, onnotice: () => {} });
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.port = String(proxy.port);
    database = await createDatabase({ url: url.toString() });
    await migrate(database.db);
    // Every registration comes from 127.0.0.1: lift that limit so they all reach the database.
    const auth = createAuth({
      db: database.db,
      secret: TEST_SECRET,
      throttle: { registerMaxPerIp: 100_000 },
      // Faults, not hashing, are under test: cheap argon2id keeps the rounds about the connections.
      passwordParams: TEST_PASSWORD_PARAMS,
    });
    server = await startServer(createFetchHandler({ auth, endpoint: "/api/trpc" }));
  });

  afterAll(async () => {
    await proxy?.up();
    await server?.close();
    await database?.close();
    await observer?.end();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  });

  it("while the database is down, every procedure fails fast with 503 and a clear message", async () => {
    const ann = await register();
    await proxy.down();
    const calls: [string, unknown, string?][] = [
      ["auth.register", { email: email("down"), password: PASSWORD, name: "Bo" }],
      ["auth.signin", { email: ann.address, password: PASSWORD }],
      ["auth.refresh", { refreshToken: ann.refreshToken }],
      ["auth.me", undefined, ann.accessToken],
      ["auth.logout", {}, ann.accessToken],
      ["account.sessions", undefined, ann.accessToken],
      ["account.changePassword", { currentPassword: PASSWORD, newPassword: "another password" }, ann.accessToken],
      ["account.revokeSession", { id: "00000000-0000-4000-8000-000000000000" }, ann.accessToken],
      ["account.delete", { password: PASSWORD }, ann.accessToken],
    ];
    for (const [path, input, token] of calls) {
      const result = await call(path, input, token);
      expect({ path, status: result.status, authCode: result.body.error?.data.authCode }).toEqual({
        path,
        status: 503,
        authCode: "DATABASE_UNAVAILABLE",
      });
      expect(result.body.error?.message).toMatch(/database is unavailable/i);
      expect(result.ms).toBeLessThan(6_000);
    }

    await proxy.up();
    // Back without a restart; the refresh that failed left the old refresh token valid.
    expect((await call("auth.me", undefined, ann.accessToken)).status).toBe(200);
    const refreshed = await call("auth.refresh", { refreshToken: ann.refreshToken });
    expect(refreshed.status).toBe(200);
    expect((await call("auth.signin", { email: ann.address, password: PASSWORD })).status).toBe(200);
  });

  // Six rounds of reconnections after every connection was cut: generous on a loaded machine.
  it("connections cut mid-request: no 500s, and the counts reconcile afterwards", { timeout: 90_000 }, async () => {
    const before = Number((await observer`select count(*)::int as n from bearer_kit.users`)[0]?.n);
    const holders = await Promise.all(Array.from({ length: 4 }, () => register()));
    const registered: string[] = [];
    const attempted = new Set<string>();
    let unavailable = 0;
    const statuses = new Set<number>();
    for (let round = 0; round < 6; round++) {
      const work = [
        ...Array.from({ length: 4 }, async () => {
          const address = email("cut");
          attempted.add(address);
          const result = await call("auth.register", { email: address, password: PASSWORD, name: "Cy" });
          statuses.add(result.status);
          if (result.status === 200) registered.push(address);
          if (result.status === 503) unavailable += 1;
        }),
        ...holders.map(async (holder) => {
          const result = await call("auth.refresh", { refreshToken: holder.refreshToken });
          statuses.add(result.status);
          const next = result.body.result?.data.refreshToken;
          if (result.status === 200 && typeof next === "string") holder.refreshToken = next;
        }),
      ];
      // Cut every connection while the requests above are in flight, as pg_terminate_backend would.
      setTimeout(() => proxy.cut(), 5 + round * 7);
      await Promise.all(work);
    }
    expect([...statuses].filter((status) => status >= 500 && status !== 503)).toEqual([]);

    const users = await observer`select email from bearer_kit.users`;
    const emails = new Set(users.map((row) => String(row.email)));
    // No lost data: every registration answered 200 exists. No phantoms: every new row is one
    // that was asked for. A cut that lands after COMMIT reached the server but before its
    // acknowledgement came back leaves a committed account answered 503: no client can tell
    // those apart (the person's retry then gets EMAIL_TAKEN, and their password works), so such
    // rows are bounded by the 503 answers rather than counted as errors.
    for (const address of registered) expect(emails.has(address)).toBe(true);
    const created = users.length - before - holders.length;
    for (const row of users) if (String(row.email).startsWith("cut-")) expect(attempted.has(String(row.email))).toBe(true);
    expect(created).toBeGreaterThanOrEqual(registered.length);
    expect(created - registered.length).toBeLessThanOrEqual(unavailable);
    const forked = await observer`
      select session_id from bearer_kit.refresh_tokens where rotated_at is null group by session_id having count(*) > 1`;
    expect(forked).toHaveLength(0);
    // Every holder can still refresh: a failed rotation never spent its token.
    for (const holder of holders) {
      expect((await call("auth.refresh", { refreshToken: holder.refreshToken })).status).toBe(200);
    }
  });
});
