import { AuthError } from "@bearer-kit/auth";

/**
 * The refresh token as an HttpOnly cookie, for browsers.
 *
 * A browser opts in by sending `x-auth-transport: cookie`. Requiring that custom header is the
 * CSRF defence: a cross-site page cannot add it without a CORS preflight, which we never grant,
 * so a forged form or `<img>` can neither refresh nor log out with the victim's cookie. The cookie
 * is also `SameSite=Strict`, and HttpOnly so script (and any XSS) never reads the long-lived
 * token: the body then carries `refreshToken: null`.
 *
 * Over https the cookie is `__Host-bk_refresh`: `Secure`, `Path=/` and no `Domain`, which the
 * browser enforces, so a sibling subdomain cannot plant a cookie of that name and sign the victim
 * into the attacker's account. Over plain http (local development) no prefix is possible; the
 * cookie is `bk_refresh`, scoped to the tRPC endpoint.
 */
/** The cookie's base name. @example `Cookie: bk_refresh=<token>` (http) or `__Host-bk_refresh=<token>` (https) */
export const REFRESH_COOKIE = "bk_refresh";
/** The request header a browser client sends to choose cookie mode. @example `x-auth-transport: cookie` */
export const TRANSPORT_HEADER = "x-auth-transport";

/** The cookie's name and attributes for one request. */
export interface RefreshCookieScope {
  name: string;
  path: string;
  secure: boolean;
}

/**
 * The cookie's name, path and `Secure` flag: `__Host-bk_refresh` on `/` when secure (the prefix
 * requires that path), otherwise `bk_refresh` on the tRPC endpoint.
 *
 * @example refreshCookieScope("/api/trpc", true) // { name: "__Host-bk_refresh", path: "/", secure: true }
 */
export function refreshCookieScope(endpoint: string, secure: boolean): RefreshCookieScope {
  if (secure) return { name: `__Host-${REFRESH_COOKIE}`, path: "/", secure };
  return { name: REFRESH_COOKIE, path: `/${endpoint.replace(/^\/+|\/+$/g, "")}`, secure };
}

/**
 * True when the client asked for the refresh token in a cookie rather than in the body.
 *
 * @example usesCookieTransport(new Headers({ "x-auth-transport": "cookie" })) // true
 */
export function usesCookieTransport(headers: Headers): boolean {
  return headers.get(TRANSPORT_HEADER)?.trim().toLowerCase() === "cookie";
}

function cookieValues(header: string, name: string): string[] {
  const values: string[] = [];
  for (const pair of header.split(";")) {
    const separator = pair.indexOf("=");
    if (separator !== -1 && pair.slice(0, separator).trim() === name) values.push(pair.slice(separator + 1).trim());
  }
  return values;
}

/**
 * The refresh cookie's value from the `Cookie` header, or `null`. Throws `TOKEN_INVALID` when
 * the request carries several cookies of that name.
 *
 * @example readRefreshCookie(new Headers({ cookie: "a=1; bk_refresh=abc" }), "bk_refresh") // "abc"
 */
export function readRefreshCookie(headers: Headers, name: string): string | null {
  const values = cookieValues(headers.get("cookie") ?? "", name);
  // Refuse rather than take the first: another origin of the site (a sibling subdomain, or
  // plain http) may have planted one, and the browser does not say which cookie came from where.
  if (values.length > 1) throw new AuthError("TOKEN_INVALID", "Several refresh cookies were sent; sign in again.");
  const value = values[0];
  return value ? value : null;
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
  const parts = [`${scope.name}=${value}`, "HttpOnly", "SameSite=Strict", `Path=${scope.path}`, `Max-Age=${maxAge}`];
  if (scope.secure) parts.push("Secure");
  return parts.join("; ");
}

/**
 * Adds `Set-Cookie` for the refresh token to the response headers.
 *
 * @example setRefreshCookie(resHeaders, token, { ...refreshCookieScope("/api/trpc", true), maxAge: 2_592_000 })
 */
export function setRefreshCookie(resHeaders: Headers, token: string, options: RefreshCookieScope & { maxAge: number }): void {
  resHeaders.append("Set-Cookie", serialize(token, options, Math.max(0, Math.floor(options.maxAge))));
}

/**
 * Tells the browser to drop the refresh cookie (`Max-Age=0`).
 *
 * @example clearRefreshCookie(resHeaders, refreshCookieScope("/api/trpc", false))
 */
export function clearRefreshCookie(resHeaders: Headers, scope: RefreshCookieScope): void {
  resHeaders.append("Set-Cookie", serialize("", scope, 0));
}
