import type { Auth } from "@bearer-kit/auth";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createFetchHandler, type FetchHandlerOptions } from "../../src/index.ts";
import { email, PASSWORD, useApi } from "../fixture.ts";
import type { ErrorBody } from "../http-fixture.ts";
import { startServer, type TestServer } from "../http-server.ts";

// The API decides per handler, from an option, whether errors carry internals; never from the
// environment. NODE_ENV says "development" here to prove it is not consulted.
vi.stubEnv("NODE_ENV", "development");

const t = useApi();
const SQL = 'relation "users" does not exist';
let hidden: TestServer | undefined;
let exposed: TestServer | undefined;

beforeAll(async () => {
  // A failure inside the core whose message quotes SQL, as a broken database would.
  const broken: Auth = { ...t.auth, signinOrChallenge: () => Promise.reject(new Error(SQL)) };
  const serve = (options: Partial<FetchHandlerOptions>) => startServer(createFetchHandler({ auth: broken, endpoint: "/api/trpc", ...options }));
  hidden = await serve({});
  exposed = await serve({ exposeInternals: true });
});
afterAll(async () => {
  await hidden?.close();
  await exposed?.close();
  vi.unstubAllEnvs();
});

const signin = (server: TestServer | undefined, input: unknown): Promise<Response> =>
  fetch(`${server?.origin ?? ""}/api/trpc/auth.signin`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(input),
  });

describe("error internals", () => {
  it("by default, even with NODE_ENV=development, a 500 is bare: no SQL text, no stack", async () => {
    const response = await signin(hidden, { email: email(), password: PASSWORD });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toMatch(/relation|users|does not exist/i);
    const { error } = JSON.parse(text) as ErrorBody;
    expect(error.message).toBe("Internal server error");
    expect(error.data).toMatchObject({ code: "INTERNAL_SERVER_ERROR", httpStatus: 500, authCode: null });
    expect(error.data).not.toHaveProperty("stack");
  });

  it("by default keeps client errors useful but sends no stack", async () => {
    const response = await signin(hidden, { email: "nope", password: "x" });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as ErrorBody;
    expect(error.message).toBe("Enter a valid email address");
    expect(error.data).toMatchObject({ authCode: "INVALID_INPUT", fieldErrors: { email: ["Enter a valid email address"] } });
    expect(error.data).not.toHaveProperty("stack");
  });

  it("with exposeInternals: true, a 500 keeps its message and stack for debugging", async () => {
    const response = await signin(exposed, { email: email(), password: PASSWORD });
    expect(response.status).toBe(500);
    const { error } = (await response.json()) as ErrorBody;
    expect(error.message).toBe(SQL);
    expect(error.data.stack).toEqual(expect.any(String));
  });

  it("never sends a stack for a request refused before any context exists", async () => {
    // A target whose percent-encoding does not decode: the listener refuses it before tRPC runs.
    const response = await fetch(`${exposed?.origin ?? ""}/api/trpc/auth.me%E0%A4%A`);
    expect(response.status).toBe(400);
    expect(await response.text()).toBe("Bad request");
  });
});
