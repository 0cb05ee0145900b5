import { expect, test } from "@playwright/test";
import { type AppServer, startApp } from "../support/app-server.ts";
import { newUser } from "../support/new-user.ts";

// Behind nginx, which sends no X-Forwarded-Proto by default, the app sees plain http. The
// configuration, not a proxy header, must make the refresh cookie Secure.
// Clear of the conformance servers (E2E_PORT + 1, + 2) and of MariaDB (3306).
const BASE_PORT = Number(process.env.E2E_PORT ?? 3100) + 10;

const setups: [string, Record<string, string>][] = [
  ["APP_URL is https", { APP_URL: "https://bearer-kit.example" }],
  ["AUTH_COOKIE_SECURE=true", { AUTH_COOKIE_SECURE: "true" }],
];

setups.forEach(([label, env], index) => {
  test.describe(`when ${label}`, () => {
    let app: AppServer | undefined;
    test.beforeAll(async () => {
      app = await startApp(env, BASE_PORT + index);
    });
    test.afterAll(async () => {
      await app?.stop();
    });

    test("the refresh cookie is __Host-bk_refresh, Secure, with no proxy header at all", async ({ request }) => {
      const user = newUser();
      const response = await request.post(`${app?.url}/api/trpc/auth.register`, {
        headers: { "x-auth-transport": "cookie" },
        data: user,
      });
      expect(response.status()).toBe(200);
      const cookies = response.headersArray().filter(({ name }) => name.toLowerCase() === "set-cookie");
      expect(cookies.map(({ value }) => value.replace(/=[^;]+;/, "=<token>;"))).toEqual([
        "__Host-bk_refresh=<token>; HttpOnly; SameSite=Strict; Path=/; Max-Age=2592000; Secure",
      ]);
      const page = await request.get(`${app?.url}/signin`);
      // HSTS follows where people are served (APP_URL), not the cookie setting.
      expect(page.headers()["strict-transport-security"]).toBe(env.APP_URL ? "max-age=31536000" : undefined);
    });
  });
});
