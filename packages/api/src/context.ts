import type { Auth, AuthGuard } from "@bearer-kit/auth";
import { isSecureRequest, type RefreshCookieScope, refreshCookieScope } from "./http/refresh-cookie.ts";

export const DEFAULT_ENDPOINT = "/api/trpc";

/** What any host (fetch handler, Next.js route, test) supplies for one request. */
export interface CreateContextOptions {
  auth: Auth;
  /** The request headers. */
  headers: Headers;
  /** Headers to add to the response; procedures set cookies and challenges here. */
  resHeaders: Headers;
  /** The caller's address as the host determined it; see `clientAddress`. Never read from headers here. */
  clientAddress?: string | null;
  /** Send internal error messages and stacks to the client. Default false; development only. */
  exposeInternals?: boolean;
  /** The request URL: an `https:` URL marks the refresh cookie `Secure` (and `__Host-`). */
  url?: string | URL;
  /** The app is served over https whatever the request says (a proxy that sends no `X-Forwarded-Proto`). */
  secureCookie?: boolean;
  /** The tRPC endpoint path, which scopes the refresh cookie. Default `/api/trpc`. */
  endpoint?: string;
  /**
   * The clock the auth service was given (its `now` option), so a subscription ends when its
   * token expires by the clock that signed it. Default: the system clock.
   */
  now?: () => Date;
}

/** Where a request came from, as stored on its session. */
export interface RequestClient {
  userAgent: string | null;
  ipAddress: string | null;
}

export interface Context {
  auth: Auth;
  headers: Headers;
  resHeaders: Headers;
  client: RequestClient;
  /** Per-request: who the bearer token authenticated, once `protectedProcedure` ran. */
  guard: AuthGuard;
  refreshCookie: RefreshCookieScope;
  /** Whether error responses may carry internal messages and stacks (see `createFetchHandler`). */
  exposeInternals: boolean;
  /** The auth service's clock; see `CreateContextOptions.now`. */
  now: () => Date;
}

/**
 * Builds the per-request context. Framework-agnostic: every host, and every test, calls this.
 *
 * @example
 * const ctx = createTRPCContext({ auth, headers: req.headers, resHeaders: new Headers() });
 * const caller = createCaller(ctx);
 */
export function createTRPCContext(options: CreateContextOptions): Context {
  const { auth, headers, resHeaders } = options;
  return {
    auth,
    headers,
    resHeaders,
    client: { userAgent: headers.get("user-agent"), ipAddress: options.clientAddress ?? null },
    guard: auth.guard(),
    refreshCookie: refreshCookieScope(
      options.endpoint ?? DEFAULT_ENDPOINT,
      options.secureCookie === true || isSecureRequest(options.url, headers),
    ),
    exposeInternals: options.exposeInternals ?? false,
    now: options.now ?? (() => new Date()),
  };
}
