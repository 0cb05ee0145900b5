import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  close(): Promise<void>;
}

/** The request body as a web stream. Cancelling discards the rest, keeping the socket for the response. */
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
      cancelled = true;
      req.removeAllListeners("data");
      req.resume();
    },
  });
}

function toRequest(req: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i] ?? "", req.rawHeaders[i + 1] ?? "");
  // As Next.js does: the socket's address becomes the rightmost x-forwarded-for entry.
  const forwarded = headers.get("x-forwarded-for");
  const peer = req.socket.remoteAddress ?? "";
  headers.set("x-forwarded-for", forwarded ? `${forwarded}, ${peer}` : peer);
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  const init = { method: req.method, headers, body: hasBody ? bodyOf(req) : null, duplex: "half" };
  return new Request(new URL(req.url ?? "/", origin), init as RequestInit);
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

/** A real `node:http` server on 127.0.0.1 and an ephemeral port, bridged to a fetch handler. */
export async function startServer(handler: (req: Request) => Promise<Response>): Promise<TestServer> {
  let origin = "";
  const server = createServer((req, res) => {
    handler(toRequest(req, origin))
      .then((response) => send(response, res))
      .catch((error: unknown) => {
        res.writeHead(599, { "content-type": "text/plain" });
        res.end(String(error));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
