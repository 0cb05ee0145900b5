import type { Auth } from "@bearer-kit/auth";
import { describe, expect, it } from "vitest";
import { createFetchHandler, type FetchHandler } from "../../src/index.ts";
import { email, PASSWORD, useApi } from "../fixture.ts";

const t = useApi();

const signin = (handler: FetchHandler, headers: Record<string, string> = {}) =>
  handler(
    new Request("http://localhost/api/trpc/auth.signin", {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ email: email(), password: PASSWORD }),
    }),
  );

describe("createFetchHandler", () => {
  it("answers 503 while auth cannot start, and retries on the next request", async () => {
    let attempts = 0;
    const handler = createFetchHandler({
      endpoint: "/api/trpc",
      auth: async (): Promise<Auth> => {
        attempts += 1;
        if (attempts === 1) throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
        return t.auth;
      },
    });
    const down = await signin(handler);
    expect(down.status).toBe(503);
    expect(await down.text()).not.toContain("ECONNREFUSED");
    expect((await signin(handler)).status).toBe(401);
    expect(attempts).toBe(2);
  });

  it("secureCookie: the refresh cookie is __Host- and Secure on a plain http request", async () => {
    const register = (handler: (req: Request) => Promise<Response>) =>
      handler(
        new Request("http://localhost/api/trpc/auth.register", {
          method: "POST",
          headers: { "content-type": "application/json", "x-auth-transport": "cookie" },
          body: JSON.stringify({ email: email(), password: PASSWORD, name: "Ann" }),
        }),
      );
    const forced = await register(createFetchHandler({ auth: t.auth, endpoint: "/api/trpc", secureCookie: true }));
    expect(forced.headers.getSetCookie()).toEqual([expect.stringMatching(/^__Host-bk_refresh=.{43}; HttpOnly; SameSite=Strict; Path=\/; Max-Age=\d+; Secure$/)]);
    const plain = await register(createFetchHandler({ auth: t.auth, endpoint: "/api/trpc" }));
    expect(plain.headers.getSetCookie()).toEqual([expect.stringMatching(/^bk_refresh=.{43}; HttpOnly; SameSite=Strict; Path=\/api\/trpc; Max-Age=\d+$/)]);
  });

  it("honours its own limits: maxBodyBytes and maxBatchSize", async () => {
    const handler = createFetchHandler({ auth: t.auth, endpoint: "/api/trpc", maxBodyBytes: 32, maxBatchSize: 1 });
    expect((await signin(handler)).status).toBe(413);
    const batch = await handler(new Request("http://localhost/api/trpc/auth.me,auth.me?batch=1&input={}"));
    expect(batch.status).toBe(400);
  });

  const registerThrough = async (handler: FetchHandler, options: { xff: string; peerAddress?: string }) => {
    const response = await handler(
      new Request("http://localhost/api/trpc/auth.register", {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": options.xff },
        body: JSON.stringify({ email: email(), password: PASSWORD, name: "Ann" }),
      }),
      { peerAddress: options.peerAddress },
    );
    const { result } = (await response.json()) as { result: { data: { accessToken: string } } };
    const [session] = await t.auth.listSessions((await t.auth.verifyBearerToken(result.data.accessToken)).user.id);
    return session?.ipAddress;
  };

  it("records the peer address, never a client-sent x-forwarded-for, with no trusted proxies", async () => {
    const handler = createFetchHandler({ auth: t.auth, endpoint: "/api/trpc", onWarning: () => {} });
    expect(await registerThrough(handler, { xff: "6.6.6.6", peerAddress: "198.51.100.23" })).toBe("198.51.100.23");
    // No peer: no address at all, rather than the client's claim.
    expect(await registerThrough(handler, { xff: "6.6.6.6" })).toBeNull();
  });

  it("records the address trustedProxies selects, counting the peer as the rightmost entry", async () => {
    const handler = createFetchHandler({ auth: t.auth, endpoint: "/api/trpc/", trustedProxies: 1 });
    expect(await registerThrough(handler, { xff: "6.6.6.6, 198.51.100.23", peerAddress: "10.0.0.2" })).toBe("198.51.100.23");
  });

  it("warns once, not per request, when the host passes no peer address", async () => {
    const warnings: string[] = [];
    const handler = createFetchHandler({ auth: t.auth, endpoint: "/api/trpc", onWarning: (message) => warnings.push(message) });
    await signin(handler);
    await signin(handler);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/client address unknown: per-address throttling is off/);

    const given: string[] = [];
    const withPeer = createFetchHandler({ auth: t.auth, endpoint: "/api/trpc", onWarning: (message) => given.push(message) });
    await withPeer(new Request("http://localhost/api/trpc/auth.me"), { peerAddress: "127.0.0.1" });
    expect(given).toEqual([]);
  });
});
