import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { JWK } from "jose";

/** How the test JWKS endpoint answers: the key set, an HTTP error, or never (for timeouts). */
export type JWKSServerMode = "ok" | "error" | "hang";

export interface TestJWKSServer {
  /** `http://127.0.0.1:<port>/.well-known/jwks.json` */
  readonly url: string;
  /** The public keys served; replace it to rotate or retire a key. */
  keys: JWK[];
  mode: JWKSServerMode;
  /** Requests received so far. */
  readonly requests: number;
  close(): Promise<void>;
}

/**
 * A JWKS endpoint on a local port, as an issuer serves it, for testing verifiers.
 *
 * @example
 * const jwks = await startJWKSServer([key.publicJwk]);
 * createVerifier({ jwksUrl: jwks.url, issuer: "bearer-kit", audience: "bearer-kit" });
 */
export async function startJWKSServer(keys: JWK[] = []): Promise<TestJWKSServer> {
  let requests = 0;
  const state: { keys: JWK[]; mode: JWKSServerMode } = { keys, mode: "ok" };
  const server = createServer((req, res) => {
    requests += 1;
    if (state.mode === "hang") return;
    if (state.mode === "error" || req.url !== "/.well-known/jwks.json") {
      res.writeHead(state.mode === "error" ? 500 : 404).end();
      return;
    }
    res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "public, max-age=300" });
    res.end(JSON.stringify({ keys: state.keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    get keys() {
      return state.keys;
    },
    set keys(next) {
      state.keys = next;
    },
    get mode() {
      return state.mode;
    },
    set mode(next) {
      state.mode = next;
    },
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
