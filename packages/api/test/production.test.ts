import { createAuth, type Database } from "@bearer-kit/auth";
import { createTestClock, createTestDatabase, TEST_SECRET } from "@bearer-kit/auth/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startServer, type TestServer } from "./http-server.ts";

// The API reads NODE_ENV once, when it loads: set it first, then import the API dynamically.
// This file must not import ../src statically (nor fixture.ts, which does).
vi.stubEnv("NODE_ENV", "production");

let database: Database;
let server: TestServer;

beforeAll(async () => {
  const { createFetchHandler } = await import("../src/index.ts");
  database = await createTestDatabase();
  const auth = createAuth({ db: database.db, secret: TEST_SECRET, now: createTestClock().now });
  server = await startServer(createFetchHandler({ auth, endpoint: "/api/trpc" }));
});
afterAll(async () => {
  await server?.close();
  await database?.close();
  vi.unstubAllEnvs();
});

const signin = (input: unknown): Promise<Response> =>
  fetch(`${server.origin}/api/trpc/auth.signin`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(input),
  });

describe("in production", () => {
  it("keeps client errors useful but sends no stack", async () => {
    const response = await signin({ email: "nope", password: "x" });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { message: string; data: Record<string, unknown> } };
    expect(error.message).toBe("Enter a valid email address");
    expect(error.data).toMatchObject({ authCode: "INVALID_INPUT", fieldErrors: { email: ["Enter a valid email address"] } });
    expect(error.data).not.toHaveProperty("stack");
  });

  it("answers an internal failure with a bare 500: no SQL text, no stack", async () => {
    // A real failure inside the core: the query then names a missing relation.
    await database.db.execute("drop table throttles");
    const response = await signin({ email: "ann@example.com", password: "correct horse battery" });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toMatch(/throttles|relation|select|insert/i);
    const { error } = JSON.parse(text) as { error: { message: string; data: Record<string, unknown> } };
    expect(error.message).toBe("Internal server error");
    expect(error.data).toMatchObject({ code: "INTERNAL_SERVER_ERROR", httpStatus: 500, authCode: null });
    expect(error.data).not.toHaveProperty("stack");
  });
});
