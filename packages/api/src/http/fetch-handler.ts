import type { Auth } from "@bearer-kit/auth";
import { AuthError } from "@bearer-kit/auth";
import {
  type AnyTRPCRouter,
  getTRPCErrorShape,
  TRPCError,
  type TRPC_ERROR_CODE_KEY,
  type TRPCRouterDef,
  type TRPCRouterRecord,
} from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { createTRPCContext } from "../context.ts";
import { readBoundedBody } from "./read-bounded-body.ts";
import { type AppRouter, appRouter } from "../root.ts";
import { clientAddress } from "./client-address.ts";

/** What the host knows about a request beyond the `Request` itself. */
export interface RequestPeer {
  /**
   * The address of the socket the request arrived on (`req.socket.remoteAddress` in Node).
   * Without it the client address is unknown and per-address throttling is off.
   */
  peerAddress?: string | null | undefined;
}

/** A fetch handler that also takes the request's peer; `toNodeListener` fills that in. */
export type FetchHandler = (req: Request, peer?: RequestPeer) => Promise<Response>;

/** A router built with this package's `router`/`mergeRouters`, so its context and errors are ours. */
export type ApiRouter = AnyTRPCRouter & { _def: TRPCRouterDef<AppRouter["_def"]["_config"]["$types"], TRPCRouterRecord> };

export interface FetchHandlerOptions {
  /** The auth service, or a function that opens it on first use (and again after a failure). */
  auth: Auth | (() => Promise<Auth>);
  /**
   * What to serve. Default `appRouter`; a host app passes one that includes it, for example
   * `mergeRouters(appRouter, hostRouter)`, and its procedures get the same limits and context.
   */
  router?: ApiRouter;
  /** The path the handler is mounted at, e.g. `/api/trpc`. It also scopes the refresh cookie. */
  endpoint: string;
  /**
   * How many proxies you run in front of the host. 0 (the default): the peer address is the
   * client's and `x-forwarded-for` is ignored. See `clientAddress`.
   */
  trustedProxies?: number;
  /**
   * Send internal error messages and stacks to clients. Default false: a 500 says only
   * "Internal server error". Turn it on for local development only.
   */
  exposeInternals?: boolean;
  /** Larger request bodies get 413 before any parsing. Default 64 KiB. */
  maxBodyBytes?: number;
  /** Larger batches get 400. Default 10. */
  maxBatchSize?: number;
  /** Always issue the refresh cookie `Secure` (`__Host-bk_refresh`), as behind a TLS proxy that sends no `X-Forwarded-Proto`. Default false. */
  secureCookie?: boolean;
  /** The clock passed to the auth service as `now`, if not the system's: it times subscriptions out with their tokens. */
  now?: () => Date;
  /** Sees every error, including the internal ones whose message clients never get. */
  onError?: (info: { error: TRPCError; path: string | undefined }) => void;
  /** Where the handler's one configuration warning goes. Default `console.warn`. */
  onWarning?: (message: string) => void;
}

const NO_PEER_WARNING =
  "bearer-kit: client address unknown: per-address throttling is off and sessions record no address. " +
  "Pass the socket address as handler(req, { peerAddress }), as toNodeListener does.";

const JSON_HEADERS = { "Content-Type": "application/json", "Cache-Control": "no-store", Pragma: "no-cache" };

/** A tRPC-shaped error for requests refused before tRPC sees them. */
function errorResponse(code: TRPC_ERROR_CODE_KEY, message: string): Response {
  const error = new TRPCError({ code, message });
  const shape = getTRPCErrorShape({
    // Every ApiRouter shares appRouter's config (one initTRPC), so its error shape too.
    config: appRouter._def._config,
    error,
    type: "unknown",
    path: undefined,
    input: undefined,
    ctx: undefined,
  });
  return new Response(JSON.stringify({ error: shape }), { status: getHTTPStatusCodeFromError(error), headers: JSON_HEADERS });
}

function lazyAuth(source: FetchHandlerOptions["auth"]): () => Promise<Auth> {
  if (typeof source !== "function") return () => Promise.resolve(source);
  let pending: Promise<Auth> | null = null;
  // Forget a failed start (database down), so a later request tries again.
  return () =>
    (pending ??= source().catch((error: unknown) => {
      pending = null;
      throw error;
    }));
}

const trimSlashes = (path: string): string => path.replace(/^\/+|\/+$/g, "");

/** The procedure names a request calls, as tRPC will read them; `null` if the path is malformed. */
function procedurePaths(url: URL, endpoint: string): string[] | null {
  const path = trimSlashes(trimSlashes(url.pathname).slice(trimSlashes(endpoint).length));
  try {
    // tRPC decodes before splitting, so an encoded comma ("%2C") separates calls too.
    const decoded = decodeURIComponent(path);
    return url.searchParams.get("batch") === "1" ? decoded.split(",") : [decoded];
  } catch {
    return null;
  }
}

/**
 * The router, once checked to serve every one of our procedures as ours: the web client, cookie
 * mode and the refresh flow call them by name, so a host router must not drop or replace them.
 */
function includingOurs(router: ApiRouter): ApiRouter {
  const served: Record<string, unknown> = router._def.procedures;
  const missing = Object.entries(appRouter._def.procedures as Record<string, unknown>)
    .filter(([path, procedure]) => served[path] !== procedure)
    .map(([path]) => path);
  if (missing.length > 0) {
    throw new TypeError(`createFetchHandler: the router must include appRouter (mergeRouters(appRouter, yours)); missing or replaced: ${missing.join(", ")}`);
  }
  return router;
}

/**
 * Serves the API over the Fetch API (`Request` in, `Response` out): `node:http` through
 * `toNodeListener`, Next.js route handlers, Bun, Deno. The host passes each request's socket
 * address as `peerAddress`; a Request alone cannot say where it came from.
 *
 * @example
 * const handler = createFetchHandler({ auth, endpoint: "/api/trpc" });
 * createServer(toNodeListener(handler)).listen(3000); // fills in peerAddress
 * // Bun: Bun.serve({ fetch: (req, server) => handler(req, { peerAddress: server.requestIP(req)?.address }) })
 */
export function createFetchHandler(options: FetchHandlerOptions): FetchHandler {
  const router = includingOurs(options.router ?? appRouter);
  const getAuth = lazyAuth(options.auth);
  const {
    endpoint,
    trustedProxies = 0,
    maxBodyBytes = 65_536,
    maxBatchSize = 10,
    exposeInternals = false,
    secureCookie = false,
    now,
    onError,
  } = options;
  const warn = options.onWarning ?? ((message: string) => console.warn(message));
  let warned = false;

  return async (req, peer = {}) => {
    // Once per handler, not per request: a host that never passes the peer would flood the log.
    if (!peer.peerAddress && !warned) {
      warned = true;
      warn(NO_PEER_WARNING);
    }
    const paths = procedurePaths(new URL(req.url), endpoint);
    // tRPC would answer a malformed path with a 500; it is the client's mistake.
    if (paths === null) return errorResponse("BAD_REQUEST", "Malformed procedure path");
    if (paths.length > maxBatchSize) return errorResponse("BAD_REQUEST", `Batch exceeds the maximum of ${maxBatchSize} calls`);

    // tRPC's fetch adapter reads bodies without limit: refuse large ones before any parsing.
    const read = await readBoundedBody(req, maxBodyBytes);
    if (read.kind === "too-large") return errorResponse("PAYLOAD_TOO_LARGE", `Request body exceeds ${maxBodyBytes} bytes`);
    const bounded = read.body === null ? req : new Request(req, { body: read.body });

    let auth: Auth;
    try {
      auth = await getAuth();
    } catch (cause) {
      onError?.({ error: new TRPCError({ code: "SERVICE_UNAVAILABLE", cause }), path: undefined });
      return errorResponse("SERVICE_UNAVAILABLE", "The service is starting or unavailable; try again shortly.");
    }

    return fetchRequestHandler({
      router,
      endpoint,
      req: bounded,
      maxBatchSize,
      createContext: ({ req: request, resHeaders }) =>
        createTRPCContext({
          auth,
          headers: request.headers,
          resHeaders,
          clientAddress: clientAddress({ peerAddress: peer.peerAddress, headers: request.headers, trustedProxies }),
          exposeInternals,
          url: request.url,
          method: request.method,
          endpoint,
          secureCookie,
          now,
        }),
      responseMeta({ errors }) {
        // RFC 6749 §5.1: responses carrying tokens must not be cached; nor may anything else here.
        const headers = new Headers({ "Cache-Control": "no-store", Pragma: "no-cache" });
        const waits = errors.flatMap((error) =>
          error.cause instanceof AuthError && error.cause.retryAfter !== undefined ? [error.cause.retryAfter] : [],
        );
        if (waits.length > 0) headers.set("Retry-After", String(Math.max(...waits)));
        return { headers };
      },
      onError: onError ? ({ error, path }) => onError({ error, path }) : undefined,
    });
  };
}
