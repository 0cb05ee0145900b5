import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { toNodeListener } from "@bearer-kit/api";

/** A running `node:http` server; `origin` is what the suite's `--url` should be. */
export interface BridgedServer {
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves a fetch handler over `node:http`, as the app's start server hosts Next.js.
 *
 * @example const server = await serveFetch(handler, { host: "127.0.0.1", port: 3199 });
 */
export async function serveFetch(
  handler: (req: Request) => Promise<Response>,
  listen: { host: string; port: number },
): Promise<BridgedServer> {
  const server = createServer(toNodeListener(handler));
  await new Promise<void>((resolve) => server.listen(listen.port, listen.host, resolve));
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    origin: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
