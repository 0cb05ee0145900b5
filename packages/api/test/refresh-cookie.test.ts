import { describe, expect, it } from "vitest";
import { type ErrorBody, type TokenBody, useHttp } from "./http-fixture.ts";

const { t, post, get, register } = useHttp();

const COOKIE = { "x-auth-transport": "cookie" };
const refreshCookieOf = (response: Response) => response.headers.getSetCookie().find((cookie) => cookie.startsWith("bk_refresh="));
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

  it("marks the cookie Secure behind a TLS-terminating proxy", async () => {
    const { response } = await register({ ...COOKIE, "x-forwarded-proto": "https" });
    expect(refreshCookieOf(response)).toMatch(/; Secure$/);
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
});
