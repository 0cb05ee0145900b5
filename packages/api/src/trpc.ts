/**
 * tRPC setup: the one place where `AuthError` becomes `TRPCError`, and where error responses
 * get their shape. Procedures throw `AuthError` (or let the core throw it) and never map codes.
 *
 * Error data every client can rely on, besides tRPC's `code` and `httpStatus`:
 * - `authCode`: the `AuthError` code (`TOKEN_EXPIRED` means "refresh and retry"), `INVALID_INPUT`
 *   for input that failed validation, otherwise `null`;
 * - `fieldErrors`: field name to messages, for forms;
 * - `retryAfter`: seconds to wait after `RATE_LIMITED` or `SERVER_BUSY`.
 */
import { AuthError, type AuthErrorCode, authorizationToken, DPOP_ALGORITHMS, hasMFA, type TokenRequest } from "@bearer-kit/auth";
import { initTRPC, TRPCError, type TRPC_ERROR_CODE_KEY } from "@trpc/server";
import type { Context } from "./context.ts";
import { fieldErrorsOf, inputIssues } from "./input-issues.ts";

/**
 * Each auth failure's tRPC code, and so its HTTP status.
 *
 * @example AUTH_ERROR_STATUS.TOKEN_EXPIRED // "UNAUTHORIZED" (401)
 */
export const AUTH_ERROR_STATUS: Readonly<Record<AuthErrorCode, TRPC_ERROR_CODE_KEY>> = {
  INVALID_INPUT: "BAD_REQUEST",
  WEAK_PASSWORD: "BAD_REQUEST",
  INVALID_CREDENTIALS: "UNAUTHORIZED",
  TOKEN_INVALID: "UNAUTHORIZED",
  TOKEN_EXPIRED: "UNAUTHORIZED",
  SESSION_REVOKED: "UNAUTHORIZED",
  REFRESH_REUSED: "UNAUTHORIZED",
  EMAIL_TAKEN: "CONFLICT",
  RATE_LIMITED: "TOO_MANY_REQUESTS",
  NOT_FOUND: "NOT_FOUND",
  DATABASE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
  // Too many password checks at once: a 503 with Retry-After, like an overloaded server.
  SERVER_BUSY: "SERVICE_UNAVAILABLE",
  // Not retryable, unlike a 5xx, which tRPC's SSE client reconnects after by itself: a replaced
  // stream that came back would evict the next oldest, and the tabs would take turns forever.
  STREAM_REPLACED: "CONFLICT",
  // Thrown by `@bearer-kit/auth/verify` in other services, never by this API; mapped for completeness.
  JWKS_UNAVAILABLE: "SERVICE_UNAVAILABLE",
  // Likewise a verifier's, whose revocation feed is stale: it fails closed, so retry later.
  REVOCATION_UNAVAILABLE: "SERVICE_UNAVAILABLE",
  EMAIL_NOT_VERIFIED: "FORBIDDEN",
  // Every link failure is a 400: the link itself is bad; `authCode` tells which way.
  LINK_INVALID: "BAD_REQUEST",
  LINK_EXPIRED: "BAD_REQUEST",
  LINK_USED: "BAD_REQUEST",
  // A wrong second factor, like a wrong password, is a failed authentication.
  SECOND_FACTOR_INVALID: "UNAUTHORIZED",
  // The sign-in attempt itself is void: sign in again, as after a dead session.
  MFA_TOKEN_INVALID: "UNAUTHORIZED",
  // Authenticated, but not strongly enough: 403, and no bearer challenge (the token is fine).
  MFA_REQUIRED: "FORBIDDEN",
  // A passkey that did not verify is a failed authentication, like a wrong password.
  PASSKEY_INVALID: "UNAUTHORIZED",
  // The registration itself was bad (or its options stale): the caller is signed in and stays so.
  PASSKEY_REGISTRATION_FAILED: "BAD_REQUEST",
  // The security event feed under HS*: served by its own HTTP endpoint, never by a procedure.
  FEED_UNAVAILABLE: "SERVICE_UNAVAILABLE",
  // RFC 9449 §7.1: a refused proof is a failed authentication, answered with a DPoP challenge.
  DPOP_PROOF_INVALID: "UNAUTHORIZED",
  DPOP_NONCE_REQUIRED: "UNAUTHORIZED",
  // The client sent no proof where one is required: a malformed request, not a failed login.
  DPOP_REQUIRED: "BAD_REQUEST",
};

/** How often an SSE stream sends a keep-alive comment. */
export const SSE_PING_MS = 10_000;
/** Silence after which a client drops an SSE stream and reconnects; three pings missed. */
export const SSE_RECONNECT_AFTER_MS = 30_000;

const t = initTRPC.context<Context>().create({
  // No transformer: plain JSON, so curl and any HTTP client can call the API.
  // isDev false: tRPC would otherwise read NODE_ENV here, at import, and send stacks unless it
  // is "production". Internals go out only when the host asked for them, per context.
  isDev: false,
  // Subscriptions (`auth.sessionEvents`) stream over SSE. A comment every 10 s keeps proxies
  // from cutting an idle stream (nginx drops one after 60 s of silence); a client that hears
  // nothing for 30 s reconnects, so a connection a proxy dropped without a word is replaced.
  sse: { ping: { enabled: true, intervalMs: SSE_PING_MS }, client: { reconnectAfterInactivityMs: SSE_RECONNECT_AFTER_MS } },
  errorFormatter({ shape, error, ctx }) {
    const { stack: _stack, ...data } = shape.data;
    // No context (the request failed before one existed) means no host opted in: hidden.
    const exposeInternals = ctx?.exposeInternals === true;
    const authError = error.cause instanceof AuthError ? error.cause : null;
    const issues = error.code === "BAD_REQUEST" && !authError ? inputIssues(error.cause) : null;
    let message = shape.message;
    // An unexpected error's message may quote SQL or internals: sent only when asked for.
    if (error.code === "INTERNAL_SERVER_ERROR" && !exposeInternals) message = "Internal server error";
    // zod's own message is a JSON dump of every issue; the first issue reads better.
    else if (issues) message = issues[0]?.message ?? "Invalid input";
    return {
      ...shape,
      message,
      data: {
        ...data,
        ...(exposeInternals && error.stack !== undefined ? { stack: error.stack } : {}),
        authCode: (authError?.code ?? (issues ? "INVALID_INPUT" : null)) satisfies AuthErrorCode | null,
        fieldErrors: authError?.fieldErrors ?? (issues ? fieldErrorsOf(issues) : null),
        retryAfter: authError?.retryAfter ?? null,
      },
    };
  },
});

/**
 * The one mapping from `AuthError` to `TRPCError`. Middlewares apply it for you; only code that
 * runs after them, such as a subscription's stream, calls it directly.
 */
export function toTRPCError(error: AuthError): TRPCError {
  return new TRPCError({ code: AUTH_ERROR_STATUS[error.code], message: error.message, cause: error });
}

/** Answers a failed authentication: its DPoP challenge, if any, and the tRPC error for its code. */
function answerAuthError(ctx: Context, error: AuthError): never {
  const challenge = dpopChallenge(error.code);
  if (challenge !== null) ctx.resHeaders.set("WWW-Authenticate", challenge);
  throw toTRPCError(error);
}

/**
 * RFC 9449 §8: with nonces on, every response to a request that sent a proof hands out a fresh
 * one, so the client's next proof carries a nonce before the current one goes stale.
 */
function handOutNonce(ctx: Context, failure: AuthError | null): void {
  if (ctx.client.dpop !== undefined || failure?.code === "DPOP_NONCE_REQUIRED") {
    const nonce = ctx.auth.dpopNonce();
    if (nonce !== null) ctx.resHeaders.set("DPoP-Nonce", nonce);
  }
}

// Middlewares do not throw to their caller: tRPC turns a thrown AuthError into an
// INTERNAL_SERVER_ERROR result carrying it as `cause`. Mapping the result covers the procedure
// body, input parsing and any middleware after it alike.
function mapAuthResult<R extends { ok: boolean; error?: { cause?: unknown } }>(ctx: Context, result: R): R {
  const failure = !result.ok && result.error?.cause instanceof AuthError ? result.error.cause : null;
  handOutNonce(ctx, failure);
  if (failure !== null) answerAuthError(ctx, failure);
  return result;
}

const mapAuthErrors = t.middleware(async ({ ctx, next }) => mapAuthResult(ctx, await next()));

const DPOP_ALGS = `algs="${DPOP_ALGORITHMS.join(" ")}"`;

/** RFC 9449 §7.1 and §8: the DPoP challenge of a refused proof; `null` for other failures. */
function dpopChallenge(code: AuthErrorCode): string | null {
  if (code === "DPOP_PROOF_INVALID") return `DPoP error="invalid_dpop_proof", ${DPOP_ALGS}`;
  if (code === "DPOP_NONCE_REQUIRED") return 'DPoP error="use_dpop_nonce"';
  return null;
}

/**
 * RFC 6750 §3: a request with no token gets a bare challenge; one whose token failed gets
 * `error="invalid_token"`, so a client can tell "log in" from "your token is bad".
 */
function bearerChallenge(token: string | null): string {
  return token === null ? "Bearer" : 'Bearer error="invalid_token"';
}

/**
 * The access token of `Authorization: Bearer` or `Authorization: DPoP` (then with the request's
 * proof), for `loginUsingBearerToken`.
 *
 * @example const { token, request } = presentedToken(ctx); await ctx.auth.verifyBearerToken(token ?? "", request);
 */
export function presentedToken(ctx: Context): { token: string | null; request: TokenRequest } {
  // One read of the Authorization header per call: this runs on every protected request.
  const presented = authorizationToken(ctx.headers);
  if (presented?.scheme === "DPoP") return { token: presented.token, request: { scheme: "DPoP", dpop: ctx.client.dpop } };
  return { token: presented?.token ?? null, request: { scheme: "Bearer" } };
}

/** Builds routers. */
export const router = t.router;
/**
 * Joins routers built with `router`, e.g. ours and a host app's, for `createFetchHandler({ router })`.
 *
 * @example const hostAppRouter = mergeRouters(appRouter, router({ notes: notesRouter }));
 */
export const mergeRouters = t.mergeRouters;
/** Builds server-side callers, for tests and server components. */
export const createCallerFactory = t.createCallerFactory;

/**
 * A procedure anyone may call.
 *
 * @example publicProcedure.input(schema).mutation(({ ctx, input }) => ctx.auth.signin(input))
 */
export const publicProcedure = t.procedure.use(mapAuthErrors);

/**
 * A procedure that needs `Authorization: Bearer <access token>`. Its `ctx.user`, `ctx.session`
 * and `ctx.amr` (RFC 8176: what the sign-in proved, e.g. `["pwd", "otp", "mfa"]`) are set;
 * otherwise it answers 401 with `authCode` (`TOKEN_EXPIRED`, `SESSION_REVOKED`, `TOKEN_INVALID`)
 * and a `WWW-Authenticate` challenge.
 *
 * @example protectedProcedure.query(({ ctx }) => ctx.user.email)
 */
export const protectedProcedure = t.procedure.use(async ({ ctx, next }) => {
  // One middleware, not publicProcedure plus one: each level costs tRPC two copies of the call's
  // options, a measurable share of a cached protected call (pnpm bench, section 2).
  const { token, request } = presentedToken(ctx);
  try {
    // The guard verifies once for every call of a batch in flight with this token (and so
    // spends the request's one DPoP proof once).
    await ctx.guard.loginUsingBearerToken(token, request);
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    if (AUTH_ERROR_STATUS[error.code] === "UNAUTHORIZED") {
      // A token sent with the DPoP scheme is challenged in that scheme (RFC 9449 §7.1); proof
      // failures get theirs from answerAuthError.
      ctx.resHeaders.set("WWW-Authenticate", request.scheme === "DPoP" ? `DPoP error="invalid_token", ${DPOP_ALGS}` : bearerChallenge(token));
    }
    handOutNonce(ctx, error);
    return answerAuthError(ctx, error);
  }
  const { user, session } = ctx.guard;
  // Unreachable after a successful login; checked so the types need no assertion.
  if (!user || !session) return answerAuthError(ctx, new AuthError("TOKEN_INVALID", "The access token is invalid."));
  return mapAuthResult(ctx, await next({ ctx: { user, session, amr: session.amr } }));
});

/**
 * A `protectedProcedure` for a session signed in with two factors (`amr` has `mfa`): any other
 * answers 403 `MFA_REQUIRED`. A session keeps the `amr` it opened with, so a password-only
 * session must sign in again with its second factor; refreshing never upgrades it.
 *
 * @example const vaultRouter = router({ open: mfaProcedure.query(({ ctx }) => openVault(ctx.user.id)) });
 */
export const mfaProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (!hasMFA(ctx.amr)) throw new AuthError("MFA_REQUIRED", "Sign in with your second factor to continue.");
  return next();
});
