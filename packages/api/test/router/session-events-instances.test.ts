import { createAuth, createDatabase, type Database } from "@bearer-kit/auth";
import { TEST_SECRET, testDatabaseUrl } from "@bearer-kit/auth/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFetchHandler } from "../../src/index.ts";
import { PASSWORD } from "../fixture.ts";
import { useHttp } from "../http-fixture.ts";
import { startServer, type TestServer } from "../http-server.ts";
import { subscribe } from "./session-events-client.ts";

// Instance A is the fixture's server; instance B is a second auth service and handler over the
// same database. On PostgreSQL, B has a connection pool (and so a LISTEN connection) of its own,
// as another process would: a revocation through A reaches B only by NOTIFY.
const a = useHttp();
let b: TestServer | undefined;
let secondPool: Database | undefined;

beforeAll(async () => {
  let database = a.t.database;
  if (database.kind === "postgres") {
    // postgres.js answers with the rows themselves.
    const rows = (await a.t.database.db.execute("select current_database() as name")) as unknown as Array<{ name: string }>;
    const url = new URL(testDatabaseUrl());
    url.pathname = `/${rows[0]?.name ?? ""}`;
    secondPool = await createDatabase({ url: url.toString(), maxConnections: 4 });
    database = secondPool;
  }
  const auth = createAuth({ db: database.db, secret: TEST_SECRET, now: a.t.clock.now });
  b = await startServer(createFetchHandler({ auth, endpoint: "/api/trpc", now: a.t.clock.now }));
});
afterAll(async () => {
  await b?.close();
  await secondPool?.close();
});

describe("auth.sessionEvents across instances", () => {
  it("a stream on one instance hears of a sign-out everywhere made through another", async () => {
    const first = await a.register();
    const signin = await a.post("auth.signin", { email: first.address, password: PASSWORD });
    const second = ((await signin.json()) as { result: { data: { accessToken: string } } }).result.data.accessToken;

    const subscription = subscribe(`${b?.origin ?? ""}/api/trpc`, first.accessToken);
    await subscription.started;
    expect((await a.post("auth.logout", { everywhere: true }, { authorization: `Bearer ${second}` })).status).toBe(200);
    await expect(subscription.finished).resolves.toEqual({ events: [{ type: "session_ended", reason: "logout_everywhere" }], error: null });
  });
});
