import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A local listener that only counts requests: proof that a URL in a token was never fetched. */
export interface Canary {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  hits(): number;
  close(): Promise<void>;
}

/**
 * Starts a canary on an ephemeral port. It only proves anything when the server under test runs
 * on this machine; a remote server cannot reach it (and then the case proves little, but passes).
 *
 * @example const canary = await startCanary(); ...; if (canary.hits() > 0) fail("fetched");
 */
export async function startCanary(): Promise<Canary> {
  let hits = 0;
  const server = createServer((_req, res) => {
    hits += 1;
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    hits: () => hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
