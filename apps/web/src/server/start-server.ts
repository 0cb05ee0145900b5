/**
 * What `scripts/start.mjs` (the server in front of Next.js) hands the app; the names mirror
 * `scripts/request-headers.mjs`.
 *
 * The API needs each request's socket address, and a route handler only gets a `Request`. The
 * start server therefore drops any client-sent copy of an internal header and sets it to the
 * peer it accepted. Trusting that header is safe only when the start server is really in front,
 * so it also marks the process, and the app refuses to start without the mark (plain
 * `next start` would pass a client's own header straight through).
 */
const PEER_HEADER = "x-bearer-kit-peer";
const START_SERVER_MARK = Symbol.for("bearer-kit.start-server");

/**
 * True when this process was started by `scripts/start.mjs`.
 *
 * @example if (!servedByStartServer()) process.exit(1);
 */
export function servedByStartServer(): boolean {
  return (globalThis as Record<symbol, unknown>)[START_SERVER_MARK] === true;
}

/**
 * The socket address the start server accepted `req` on; `null` without a start server.
 *
 * @example handler(req, { peerAddress: peerAddressOf(req) })
 */
export function peerAddressOf(req: Request): string | null {
  return servedByStartServer() ? req.headers.get(PEER_HEADER) : null;
}
