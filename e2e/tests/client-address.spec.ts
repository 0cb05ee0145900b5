import { type APIRequestContext, expect, test } from "@playwright/test";
import { newUser } from "../support/new-user.ts";
import { spawnApp, waitForOutput } from "../support/spawn-app.ts";

// Whom the built app believes about where a request came from. The session address is also the
// per-address throttling key, so a client that could choose it could also reset its own limit.
const PORT = Number(process.env.E2E_PORT ?? 3100);
const FORGED = { "x-forwarded-for": "203.0.113.66", "x-bearer-kit-peer": "198.51.100.66" };
const LOOPBACK = ["127.0.0.1", "::1", "::ffff:127.0.0.1"];

/** Registers a fresh user with `headers` and returns the address its session recorded. */
async function sessionAddress(request: APIRequestContext, origin: string, headers: Record<string, string>): Promise<string | null> {
  const user = newUser();
  const registered = await request.post(`${origin}/api/trpc/auth.register`, { headers, data: user });
  expect(registered.status()).toBe(200);
  const { result } = (await registered.json()) as { result: { data: { accessToken: string } } };
  const sessions = await request.get(`${origin}/api/trpc/account.sessions`, {
    headers: { authorization: `Bearer ${result.data.accessToken}` },
  });
  const body = (await sessions.json()) as { result: { data: Array<{ ipAddress: string | null }> } };
  return body.result.data[0]?.ipAddress ?? null;
}

test.describe("client address", () => {
  test("with AUTH_TRUSTED_PROXIES=0, neither a client's X-Forwarded-For nor a forged internal peer header becomes the session address", async ({
    request,
    baseURL,
  }) => {
    const address = await sessionAddress(request, baseURL ?? "", FORGED);
    expect(LOOPBACK).toContain(address);
  });

  test("behind one trusted proxy, the address that proxy appended is recorded, not the client's claim", async ({ request }) => {
    const port = PORT + 21;
    const app = spawnApp(["scripts/start.mjs"], { PORT: String(port), AUTH_TRUSTED_PROXIES: "1" });
    try {
      await waitForOutput(app, /listening on/, 60_000);
      // The test runner plays the proxy: it connects from loopback and appends the client it saw.
      const address = await sessionAddress(request, `http://127.0.0.1:${port}`, {
        "x-forwarded-for": "203.0.113.66, 198.51.100.7",
        "x-bearer-kit-peer": "192.0.2.1",
      });
      expect(address).toBe("198.51.100.7");
    } finally {
      await app.stop();
    }
  });

  test("the built app refuses to serve under plain `next start`, which would pass a client's own headers through", async () => {
    const app = spawnApp(["node_modules/next/dist/bin/next", "start", "-p", String(PORT + 22), "-H", "127.0.0.1"], {});
    const timer = setTimeout(() => app.child.kill("SIGTERM"), 30_000);
    const code = await app.exited;
    clearTimeout(timer);
    expect(app.output()).toMatch(/start the app with `pnpm start` \(apps\/web\/scripts\/start\.mjs\)/);
    expect(code).toBe(1);
  });
});
