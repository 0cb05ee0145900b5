import type { AuthOptions } from "@bearer-kit/auth";
import { afterAll, beforeAll } from "vitest";
import { createFetchHandler, type FetchHandlerOptions } from "../src/index.ts";
import { email, type Fixture, PASSWORD, useApi } from "./fixture.ts";
import { startServer, type TestServer } from "./http-server.ts";

export interface ErrorBody {
  error: {
    message: string;
    data: {
      code: string;
      httpStatus: number;
      authCode: string | null;
      fieldErrors: Record<string, string[]> | null;
      retryAfter: number | null;
      stack?: string;
    };
  };
}

export interface TokenBody {
  result: { data: { accessToken: string; refreshToken: string | null } };
}

export interface HttpFixture {
  t: Fixture;
  /** `http://127.0.0.1:<port>/api/trpc` */
  url(): string;
  post(path: string, input: unknown, headers?: Record<string, string>): Promise<Response>;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  /** Registers a fresh user over HTTP. */
  register(headers?: Record<string, string>): Promise<{ address: string; response: Response } & TokenBody["result"]["data"]>;
}

/** The fixture's auth behind `createFetchHandler`, on a real `node:http` server. */
export function useHttp(options: Partial<AuthOptions> = {}, handler: Partial<FetchHandlerOptions> = {}): HttpFixture {
  const t = useApi(options);
  let server: TestServer | undefined;
  beforeAll(async () => {
    // A function: the handler opens auth on first use, as the Next.js route does.
    server = await startServer(createFetchHandler({ auth: async () => t.auth, endpoint: "/api/trpc", now: () => t.clock.now(), ...handler }));
  });
  afterAll(async () => {
    await server?.close();
  });
  const url = () => `${server?.origin ?? ""}/api/trpc`;
  const post = (path: string, input: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url()}/${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(input) });
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${url()}/${path}`, { headers });
  return {
    t,
    url,
    post,
    get,
    async register(headers = {}) {
      const address = email();
      const response = await post("auth.register", { email: address, password: PASSWORD, name: "Ann" }, headers);
      const body = (await response.clone().json()) as TokenBody;
      return { address, response, ...body.result.data };
    },
  };
}
