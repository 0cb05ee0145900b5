/**
 * The refresh token as an HttpOnly cookie, for browsers.
 *
 * A browser opts in by sending `x-auth-transport: cookie`. Requiring that custom header is the
 * CSRF defence: a cross-site page cannot add it without a CORS preflight, which we never grant,
 * so a forged form or `<img>` can neither refresh nor log out with the victim's cookie. The cookie
 * is also `SameSite=Strict` and scoped to the tRPC endpoint, and HttpOnly so script (and any XSS)
 * never reads the long-lived token: the body then carries `refreshToken: null`.
 */
/** The cookie's name. @example `Cookie: bk_refresh=<token>` */
export const REFRESH_COOKIE = "bk_refresh";
/** The request header a browser client sends to choose cookie mode. @example `x-auth-transport: cookie` */
export const TRANSPORT_HEADER = "x-auth-transport";

/** Where the cookie lives: the tRPC endpoint, and `Secure` whenever the request came over https. */
export interface RefreshCookieScope {
  path: string;
  secure: boolean;
}

/**
 * True when the client asked for the refresh token in a cookie rather than in the body.
 *
 * @example usesCookieTransport(new Headers({ "x-auth-transport": "cookie" })) // true
 */
export function usesCookieTransport(headers: Headers): boolean {
  return headers.get(TRANSPORT_HEADER)?.trim().toLowerCase() === "cookie";
}

/**
 * The `bk_refresh` value from the `Cookie` header, or `null`.
 *
 * @example readRefreshCookie(new Headers({ cookie: "a=1; bk_refresh=abc" })) // "abc"
 */
export function readRefreshCookie(headers: Headers): string | null {
  const cookie = headers.get("cookie");
  if (!cookie) return null;
  for (const pair of cookie.split(";")) {
    const separator = pair.indexOf("=");
    if (separator === -1 || pair.slice(0, separator).trim() !== REFRESH_COOKIE) continue;
    const value = pair.slice(separator + 1).trim();
    return value === "" ? null : value;
  }
  return null;
}

/**
 * True for an https request: by URL, or by `x-forwarded-proto` from a TLS-terminating proxy.
 * Trusting the forwarded header here is safe: a spoofed value can only make the cookie stricter.
 *
 * @example isSecureRequest("https://example.com/api/trpc", new Headers()) // true
 */
export function isSecureRequest(url: string | URL | undefined, headers: Headers): boolean {
  const forwarded = headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  if (forwarded === "https") return true;
  if (url === undefined) return false;
  try {
    return new URL(url).protocol === "https:";
  } catch {
    return false;
  }
}

function serialize(value: string, scope: RefreshCookieScope, maxAge: number): string {
  const parts = [`${REFRESH_COOKIE}=${value}`, "HttpOnly", "SameSite=Strict", `Path=${scope.path}`, `Max-Age=${maxAge}`];
  if (scope.secure) parts.push("Secure");
  return parts.join("; ");
}

/**
 * Adds `Set-Cookie` for the refresh token to the response headers.
 *
 * @example setRefreshCookie(resHeaders, token, { path: "/api/trpc", secure: true, maxAge: 2_592_000 })
 */
export function setRefreshCookie(resHeaders: Headers, token: string, options: RefreshCookieScope & { maxAge: number }): void {
  resHeaders.append("Set-Cookie", serialize(token, options, Math.max(0, Math.floor(options.maxAge))));
}

/**
 * Tells the browser to drop the refresh cookie (`Max-Age=0`).
 *
 * @example clearRefreshCookie(resHeaders, { path: "/api/trpc", secure: false })
 */
export function clearRefreshCookie(resHeaders: Headers, scope: RefreshCookieScope): void {
  resHeaders.append("Set-Cookie", serialize("", scope, 0));
}
