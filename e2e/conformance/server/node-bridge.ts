import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type FetchHandler, toNodeListener } from "@bearer-kit/api";

/** A running `node:http` server; `origin` is what the suite's `--url` should be. */
export interface BridgedServer {
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves a fetch handler over `node:http`; `toNodeListener` passes each socket's address as the peer.
 *
 * @example const server = await serveFetch(handler, { host: "127.0.0.1", port: 3199 });
 */
export async function serveFetch(
  handler: FetchHandler,
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
