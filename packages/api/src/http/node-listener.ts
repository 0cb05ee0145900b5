import type { IncomingMessage, ServerResponse } from "node:http";

import type { FetchHandler } from "./fetch-handler.ts";
import { requestURL } from "./request-url.ts";

/** The request body as a web stream, pulled on demand so a refused upload is never buffered whole. */
function bodyOf(req: IncomingMessage): ReadableStream<Uint8Array> {
  let cancelled = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on("data", (chunk: Buffer) => {
        controller.enqueue(new Uint8Array(chunk));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      });
      req.on("end", () => {
        if (!cancelled) controller.close();
      });
      req.on("error", (error) => {
        if (!cancelled) controller.error(error);
      });
    },
    pull() {
      req.resume();
    },
    cancel() {
      // Drain the rest without keeping it, so the socket stays usable for the response.
      cancelled = true;
      req.removeAllListeners("data");
      req.resume();
    },
  });
}

/** The request as a fetch `Request`; `null` when its target is malformed (see `requestURL`). */
function toRequest(req: IncomingMessage, signal: AbortSignal): Request | null {
  const headers = new Headers();
  // rawHeaders keeps repeated lines: Node's `headers` drops a second Authorization line, and a
  // request carrying two tokens must be refused, not half-read.
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i] ?? "", req.rawHeaders[i + 1] ?? "");
  const url = requestURL(req.url, headers.get("host") ?? "localhost");
  if (url === null) return null;
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  const init = { method: req.method, headers, body: hasBody ? bodyOf(req) : null, duplex: "half", signal };
  return new Request(url, init as RequestInit);
}

/** Resolves once `res` can take more, or has closed (the client left). */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

async function send(response: Response, res: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, key) => {
    if (key !== "set-cookie") headers[key] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  res.writeHead(response.status, headers);
  if (response.body === null) {
    res.end();
    return;
  }
  // Streamed chunk by chunk, never buffered whole: an SSE subscription's body does not end
  // until the session does, and each event must reach the client as it is written.
  res.flushHeaders();
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || res.destroyed) break;
      if (!res.write(value)) await drained(res);
    }
  } finally {
    // A client that left cancels the body, which ends a subscription's generator.
    if (res.destroyed) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
  res.end();
}

/**
 * Hosts a fetch handler (such as `createFetchHandler`'s) on a plain `node:http` server, passing
 * each request's socket address as `peerAddress`: the one client address no header can forge.
 *
 * @example createServer(toNodeListener(createFetchHandler({ auth, endpoint: "/api/trpc" }))).listen(3000);
 */
export function toNodeListener(handler: FetchHandler): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    // Aborted when the client goes before the response has ended: tRPC then stops the
    // procedure, and a subscription releases its watch on the session.
    const aborter = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) aborter.abort();
    });
    let request: Request | null;
    try {
      request = toRequest(req, aborter.signal);
    } catch {
      request = null;
    }
    if (request === null) {
      res.writeHead(400, { "content-type": "text/plain" }).end("Bad request");
      return;
    }
    handler(request, { peerAddress: req.socket.remoteAddress ?? null })
      .then((response) => send(response, res))
      .catch(() => {
        // Only the bridge itself failing lands here; the handler answers its own errors.
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end("Internal server error");
      });
  };
}
