// What the server in front of Next.js fixes in each request's headers before Next sees them.
// The names below are mirrored in src/server/start-server.ts, which the app reads them through.

/** The internal header carrying the socket address to the API route. Never taken from a client. */
export const PEER_HEADER = "x-bearer-kit-peer";

/** Set on globalThis by start.mjs: the app refuses to start without it (see instrumentation-node.ts). */
export const START_SERVER_MARK = Symbol.for("bearer-kit.start-server");

/**
 * Node keeps only the first of several `Authorization` lines in `req.headers`, so a request
 * carrying two tokens would be authenticated with one of them. Join them instead: the result
 * is not a single `Bearer <token>`, and `bearerToken()` refuses the ambiguous request.
 */
function joinAuthorizationLines(req) {
  const lines = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i].toLowerCase() === "authorization") lines.push(req.rawHeaders[i + 1]);
  }
  if (lines.length > 1) req.headers.authorization = lines.join(", ");
}

/**
 * A Next.js route handler gets a `Request`, which cannot say which socket it came from, and
 * Next passes a client-sent `X-Forwarded-For` on as it is. So the peer we accepted travels in
 * an internal header: any copy the client sent is dropped first, so it can never name itself.
 */
function setPeerHeader(req) {
  Reflect.deleteProperty(req.headers, PEER_HEADER);
  // rawHeaders too, in case anything downstream reads the lines as received.
  for (let i = req.rawHeaders.length - 2; i >= 0; i -= 2) {
    if (req.rawHeaders[i].toLowerCase() === PEER_HEADER) req.rawHeaders.splice(i, 2);
  }
  const peer = req.socket.remoteAddress;
  if (peer) req.headers[PEER_HEADER] = peer;
}

/** Normalises the headers of `req` in place. */
export function secureRequestHeaders(req) {
  joinAuthorizationLines(req);
  setPeerHeader(req);
}
