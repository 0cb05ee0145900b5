/**
 * `POST /api/security-events/poll`: the Security Event Token feed over HTTP (RFC 8936 §2.4),
 * for the services registered as receivers (`pnpm receivers add <name>`).
 *
 * Plain JSON, not tRPC: RFC 8936 fixes the request and response shapes, and a receiver is any
 * HTTP client. Errors use its `{ err, description }` body:
 * - 401 `authentication_failed` with `WWW-Authenticate: Bearer realm="security-events"` for a
 *   missing or unknown credential (a removed receiver's included);
 * - 400 `invalid_request` for a body that is not the JSON object below, or larger than the bound;
 * - 405 for anything but POST;
 * - 503 `unavailable` under HS* (`FEED_UNAVAILABLE`) or while the database is down.
 */
import { type Auth, AuthError, bearerToken, MAX_EVENTS, type PollOptions } from "@bearer-kit/auth";
import { z } from "zod";
import { readBoundedBody } from "./read-bounded-body.ts";

const REALM = 'Bearer realm="security-events"';
/** 1000 acks of 36-character jtis, quoted and separated, with room to spare. */
const DEFAULT_MAX_BODY_BYTES = 65_536;
const JSON_HEADERS = { "Content-Type": "application/json", "Cache-Control": "no-store", Pragma: "no-cache" };

const pollBody = z.object({
  ack: z.array(z.string().max(64)).max(MAX_EVENTS).optional(),
  // RFC 8936 §2.4.3: SETs the receiver could not process. It will not process them on a second
  // delivery either, so they leave its queue as acknowledged ones do.
  setErrs: z.record(z.string().max(64), z.unknown()).optional(),
  maxEvents: z.number().int().min(0).max(MAX_EVENTS).optional(),
  returnImmediately: z.boolean().optional(),
});

export interface SecurityEventPollOptions {
  /** Larger bodies get 400 before any parsing. Default 64 KiB. */
  maxBodyBytes?: number;
  /** How long a long poll waits when nothing is queued, in ms. Default 25 000; tests shorten it. */
  waitMs?: number;
  /** Sees unexpected failures (their details never reach the receiver). */
  onError?: (error: unknown) => void;
}

function answer(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

const invalidRequest = (description: string) => answer(400, { err: "invalid_request", description });

function unauthenticated(presented: boolean): Response {
  // RFC 6750 §3.1: no error code when no credential was sent; invalid_token for a wrong one.
  const challenge = presented ? `${REALM}, error="invalid_token"` : REALM;
  return answer(401, { err: "authentication_failed", description: "A receiver credential is required: Authorization: Bearer ser_..." }, { "WWW-Authenticate": challenge });
}

/** The poll options of a request body; a string says what is wrong with it. */
async function readPoll(req: Request, maxBodyBytes: number): Promise<PollOptions | string> {
  const read = await readBoundedBody(req, maxBodyBytes);
  if (read.kind === "too-large") return `The body exceeds ${maxBodyBytes} bytes.`;
  const text = read.body === null ? "" : new TextDecoder().decode(read.body);
  let value: unknown = {};
  if (text.trim() !== "") {
    try {
      value = JSON.parse(text);
    } catch {
      return "The body is not JSON.";
    }
  }
  const parsed = pollBody.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return `${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}`;
  }
  const { ack = [], setErrs = {}, maxEvents, returnImmediately } = parsed.data;
  return { ack: [...ack, ...Object.keys(setErrs)], maxEvents, returnImmediately };
}

function lazyAuth(source: Auth | (() => Promise<Auth>)): () => Promise<Auth> {
  if (typeof source !== "function") return () => Promise.resolve(source);
  let pending: Promise<Auth> | null = null;
  // Forget a failed start (database down), so a later request tries again.
  return () =>
    (pending ??= source().catch((error: unknown) => {
      pending = null;
      throw error;
    }));
}

/**
 * Serves the feed's poll endpoint over the Fetch API.
 *
 * @example
 * // app/api/security-events/poll/route.ts (Next.js)
 * export const POST = createSecurityEventPollHandler(getAuth);
 * // a receiver
 * await fetch(url, { method: "POST", headers: { authorization: `Bearer ${credential}` }, body: JSON.stringify({ ack }) });
 */
export function createSecurityEventPollHandler(auth: Auth | (() => Promise<Auth>), options: SecurityEventPollOptions = {}): (req: Request) => Promise<Response> {
  const getAuth = lazyAuth(auth);
  const { maxBodyBytes = DEFAULT_MAX_BODY_BYTES, waitMs, onError } = options;
  const unavailable = (description: string) => answer(503, { err: "unavailable", description }, { "Retry-After": "5" });

  return async (req) => {
    if (req.method !== "POST") return answer(405, { err: "invalid_request", description: "Use POST." }, { Allow: "POST" });
    let service: Auth;
    try {
      service = await getAuth();
    } catch (error) {
      onError?.(error);
      return unavailable("The service is starting or unavailable; retry shortly.");
    }
    try {
      const credential = bearerToken(req);
      // Authenticated before the body is read: an unknown caller costs one indexed lookup.
      const receiver = credential === null ? null : await service.securityEventFeed.receivers.authenticate(credential);
      if (receiver === null) return unauthenticated(req.headers.has("authorization"));
      const poll = await readPoll(req, maxBodyBytes);
      if (typeof poll === "string") return invalidRequest(poll);
      return answer(200, await service.securityEventFeed.poll(receiver, { ...poll, waitMs, signal: req.signal }));
    } catch (error) {
      if (error instanceof AuthError && (error.code === "FEED_UNAVAILABLE" || error.code === "DATABASE_UNAVAILABLE")) return unavailable(error.message);
      if (error instanceof AuthError && error.code === "INVALID_INPUT") return invalidRequest(error.message);
      onError?.(error);
      // Internals (SQL, stacks) stay in onError.
      return answer(500, { err: "internal_error", description: "Internal server error" });
    }
  };
}
