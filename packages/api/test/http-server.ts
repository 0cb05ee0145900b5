import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type FetchHandler, toNodeListener } from "../src/index.ts";

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  close(): Promise<void>;
}

/** A real `node:http` server on 127.0.0.1 and an ephemeral port, bridged to a fetch handler. */
export async function startServer(handler: FetchHandler): Promise<TestServer> {
  const server = createServer(toNodeListener(handler));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
