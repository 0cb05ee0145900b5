import type { Auth, AuthGuard, DPoPRequest } from "@bearer-kit/auth";
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
  /**
   * The request URL: an `https:` URL marks the refresh cookie `Secure` (and `__Host-`). Its path
   * is also a DPoP proof's `htu`, on the app's own origin (`auth.settings.appUrl`).
   */
  url?: string | URL;
  /** The request method (`GET`, `POST`): a DPoP proof's `htm`. Without it (or `url`), `DPoP` headers are not read. */
  method?: string;
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
  /** The request's `DPoP` proof header and what it must match, when it sent one. */
  dpop?: DPoPRequest;
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
  const dpop = dpopRequest(auth, options);
  return {
    auth,
    headers,
    resHeaders,
    client: { userAgent: headers.get("user-agent"), ipAddress: options.clientAddress ?? null, ...(dpop && { dpop }) },
    guard: auth.guard(),
    refreshCookie: refreshCookieScope(
      options.endpoint ?? DEFAULT_ENDPOINT,
      options.secureCookie === true || isSecureRequest(options.url, headers),
    ),
    exposeInternals: options.exposeInternals ?? false,
    now: options.now ?? (() => new Date()),
  };
}

/**
 * The `DPoP` header and the request it must match. `htu` is the app's configured origin and the
 * request's path, never the Host header: a proxy may rewrite Host, and a client that signed the
 * URL it called must not be refused for it (nor an attacker's Host be trusted). Two `DPoP`
 * headers come joined by a comma, which no JWT contains: refused as malformed by the core.
 */
function dpopRequest(auth: Auth, options: CreateContextOptions): DPoPRequest | undefined {
  const proof = options.headers.get("dpop");
  if (proof === null || options.url === undefined || options.method === undefined) return undefined;
  const path = URL.parse(options.url.toString())?.pathname;
  const origin = URL.parse(auth.settings.appUrl)?.origin;
  if (path === undefined || origin === undefined) return undefined;
  return { proof, htm: options.method.toUpperCase(), htu: `${origin}${path}` };
}
