import { describe, expect, it } from "vitest";
import { type ErrorBody, type TokenBody, useHttp } from "../http-fixture.ts";

const { t, post, get, register } = useHttp();

const COOKIE = { "x-auth-transport": "cookie" };
const HTTPS = { ...COOKIE, "x-forwarded-proto": "https" };
const refreshCookieOf = (response: Response, name = "bk_refresh") =>
  response.headers.getSetCookie().find((cookie) => cookie.startsWith(`${name}=`));
/** The `name=value` part, as a browser sends it back. */
const cookieValue = (setCookie: string | undefined) => setCookie?.split(";")[0] ?? "";

describe("refresh token cookie (x-auth-transport: cookie)", () => {
  it("puts the refresh token only in an HttpOnly, SameSite=Strict cookie scoped to the endpoint", async () => {
    const { response, refreshToken } = await register(COOKIE);
    expect(refreshToken).toBeNull();
    expect(refreshCookieOf(response)).toMatch(/^bk_refresh=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/api\/trpc; Max-Age=2592000$/);
  });

  it("sets it at sign-in too", async () => {
    const { address } = await register();
    const response = await post("auth.signin", { email: address, password: "correct horse battery" }, COOKIE);
    expect(((await response.json()) as TokenBody).result.data.refreshToken).toBeNull();
    expect(refreshCookieOf(response)).toMatch(/^bk_refresh=[A-Za-z0-9_-]{43}; HttpOnly/);
  });

  it("over https it is __Host-bk_refresh: Secure, Path=/ and no Domain, so no sibling subdomain can plant one", async () => {
    const { response } = await register(HTTPS);
    expect(response.headers.getSetCookie()).toHaveLength(1);
    expect(refreshCookieOf(response, "__Host-bk_refresh")).toMatch(
      /^__Host-bk_refresh=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/; Max-Age=2592000; Secure$/,
    );
  });

  it("over https reads only the __Host- cookie: a plain bk_refresh is not the refresh cookie", async () => {
    const { response } = await register(HTTPS);
    const token = cookieValue(refreshCookieOf(response, "__Host-bk_refresh")).split("=")[1] ?? "";
    const plain = await post("auth.refresh", {}, { ...HTTPS, cookie: `bk_refresh=${token}` });
    expect(plain.status).toBe(401);
    expect(((await plain.json()) as ErrorBody).error.data.authCode).toBe("TOKEN_INVALID");
    const prefixed = await post("auth.refresh", {}, { ...HTTPS, cookie: `__Host-bk_refresh=${token}` });
    expect(prefixed.status).toBe(200);
    expect(refreshCookieOf(prefixed, "__Host-bk_refresh")).toMatch(/; Path=\/; Max-Age=2592000; Secure$/);
  });

  it("refuses a request carrying two refresh cookies instead of taking the first, and keeps them", async () => {
    const victim = cookieValue(refreshCookieOf((await register(COOKIE)).response));
    const planted = cookieValue(refreshCookieOf((await register(COOKIE)).response));
    for (const cookie of [`${planted}; ${victim}`, `${victim}; ${planted}`]) {
      const refused = await post("auth.refresh", {}, { ...COOKIE, cookie });
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as ErrorBody).error.data.authCode).toBe("TOKEN_INVALID");
      // Clearing would drop only the host's own cookie and leave the planted one to be used next.
      expect(refused.headers.getSetCookie()).toEqual([]);
    }
    expect((await post("auth.refresh", {}, { ...COOKIE, cookie: victim })).status).toBe(200);
  });

  it("refreshes from the cookie and rotates it; a replayed cookie ends the session and is cleared", async () => {
    const { response } = await register(COOKIE);
    const first = cookieValue(refreshCookieOf(response));
    const refreshed = await post("auth.refresh", {}, { ...COOKIE, cookie: `theme=dark; ${first}` });
    expect(refreshed.status).toBe(200);
    const { data } = ((await refreshed.json()) as TokenBody).result;
    expect(data.refreshToken).toBeNull();
    const second = cookieValue(refreshCookieOf(refreshed));
    expect(second).toMatch(/^bk_refresh=.{43}$/);
    expect(second).not.toBe(first);
    expect((await get("auth.me", { authorization: `Bearer ${data.accessToken}` })).status).toBe(200);

    t.clock.advance(11);
    const replayed = await post("auth.refresh", {}, { ...COOKIE, cookie: first });
    expect(replayed.status).toBe(401);
    expect(((await replayed.json()) as ErrorBody).error.data.authCode).toBe("REFRESH_REUSED");
    expect(refreshCookieOf(replayed)).toBe("bk_refresh=; HttpOnly; SameSite=Strict; Path=/api/trpc; Max-Age=0");
  });

  it("ignores the cookie unless the client sent the transport header (CSRF)", async () => {
    const { response } = await register(COOKIE);
    const forged = await post("auth.refresh", {}, { cookie: cookieValue(refreshCookieOf(response)) });
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as ErrorBody).error.data.authCode).toBe("TOKEN_INVALID");
    expect(forged.headers.getSetCookie()).toEqual([]);
  });

  it("clears the cookie on logout", async () => {
    const { response, accessToken } = await register(COOKIE);
    const cookie = cookieValue(refreshCookieOf(response));
    const logout = await post("auth.logout", {}, { ...COOKIE, cookie, authorization: `Bearer ${accessToken}` });
    expect(logout.status).toBe(200);
    expect(refreshCookieOf(logout)).toBe("bk_refresh=; HttpOnly; SameSite=Strict; Path=/api/trpc; Max-Age=0");
    expect((await post("auth.refresh", {}, { ...COOKIE, cookie })).status).toBe(401);
  });

  it("clears the __Host- cookie on logout over https", async () => {
    const { accessToken } = await register(HTTPS);
    const logout = await post("auth.logout", {}, { ...HTTPS, authorization: `Bearer ${accessToken}` });
    expect(refreshCookieOf(logout, "__Host-bk_refresh")).toBe("__Host-bk_refresh=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0; Secure");
  });
});
