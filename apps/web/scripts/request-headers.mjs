// What the server in front of Next.js fixes in each request's headers before Next sees them.

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
 * Next.js sets `X-Forwarded-For` to the socket address only when the client sent none, so a
 * client could name any address it liked. Appending the peer we accepted makes the rightmost
 * entry always trustworthy; `AUTH_TRUSTED_PROXIES` counts the proxies in front of us beyond it.
 */
function appendPeerAddress(req) {
  const peer = req.socket.remoteAddress;
  if (!peer) return;
  const prior = req.headers["x-forwarded-for"];
  req.headers["x-forwarded-for"] = prior ? `${prior}, ${peer}` : peer;
}

/** Normalises the headers of `req` in place. */
export function secureRequestHeaders(req) {
  joinAuthorizationLines(req);
  appendPeerAddress(req);
}
