import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A running `node:http` server; `origin` is what the suite's `--url` should be. */
export interface BridgedServer {
  origin: string;
  close(): Promise<void>;
}

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

function toRequest(req: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  // rawHeaders keeps repeated headers (Node's `headers` drops a second Authorization line).
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i] ?? "", req.rawHeaders[i + 1] ?? "");
  // As a proxy that appends would: the socket's address becomes the rightmost x-forwarded-for entry.
  const forwarded = headers.get("x-forwarded-for");
  const peer = req.socket.remoteAddress ?? "";
  headers.set("x-forwarded-for", forwarded ? `${forwarded}, ${peer}` : peer);
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  const init = { method: req.method, headers, body: hasBody ? bodyOf(req) : null, duplex: "half" };
  // Concatenated, not `new URL(path, origin)`: a path starting "//" would otherwise become a host.
  return new Request(`${origin}${req.url ?? "/"}`, init as RequestInit);
}

async function send(response: Response, res: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, key) => {
    if (key !== "set-cookie") headers[key] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  res.writeHead(response.status, headers);
  res.end(Buffer.from(await response.arrayBuffer()));
}

/**
 * Serves a fetch handler over `node:http`, as Next.js would host the route handler.
 *
 * @example const server = await serveFetch(handler, { host: "127.0.0.1", port: 3199 });
 */
export async function serveFetch(
  handler: (req: Request) => Promise<Response>,
  listen: { host: string; port: number },
): Promise<BridgedServer> {
  let origin = "";
  const server = createServer((req, res) => {
    let request: Request;
    try {
      request = toRequest(req, origin);
    } catch {
      res.writeHead(400, { "content-type": "text/plain" }).end("Bad request");
      return;
    }
    handler(request)
      .then((response) => send(response, res))
      .catch((error: unknown) => {
        // Only the bridge itself failing lands here; the handler answers its own errors.
        console.error("dev-server: handler threw", error);
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end("Internal server error");
      });
  });
  await new Promise<void>((resolve) => server.listen(listen.port, listen.host, resolve));
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  origin = `http://${host}:${address.port}`;
  return {
    origin,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
