// A child process of `pnpm bench`: the API (ours plus `bench.user`) on node:http, configured by
// the environment like any deployment (DATABASE_URL or PGLITE_DATA_DIR, AUTH_*), on PORT. Like the
// web app, it also serves its JWKS and the security-event feed (receivers from
// AUTH_SECURITY_EVENT_RECEIVERS), for a verifier in another process to follow.
// It prints "listening <port>" once it answers. Run apart from the load generator, so the two
// never share an event loop.
import { createServer } from "node:http";
import { createFetchHandler, createSecurityEventPollHandler, toNodeListener } from "@bearer-kit/api";
import { createAuthFromEnv, createJwksHandler } from "@bearer-kit/auth";
import { benchRouter } from "./bench-router.ts";
import { loadServerEnv } from "./env.ts";

const env = loadServerEnv();
const { database, auth } = await createAuthFromEnv(env.auth, { log: () => {}, keyAdmin: false });
const handler = createFetchHandler({
  auth,
  endpoint: "/api/trpc",
  router: benchRouter,
  // The bench client plays many users: one trusted proxy, so each request's X-Forwarded-For
  // entry is its address and the sign-in throttle counts per simulated client.
  trustedProxies: env.auth.AUTH_TRUSTED_PROXIES,
  onError: ({ error }) => {
    if (error.code === "INTERNAL_SERVER_ERROR") console.error(error.cause ?? error);
  },
});
const jwks = createJwksHandler(auth);
const poll = createSecurityEventPollHandler(auth);
const server = createServer(
  toNodeListener((req, peer) => {
    const { pathname } = new URL(req.url);
    if (pathname === "/.well-known/jwks.json") return jwks(req);
    if (pathname === "/api/security-events/poll") return poll(req);
    return handler(req, peer);
  }),
);
server.keepAliveTimeout = 60_000;
await new Promise<void>((resolve) => server.listen(env.port, "127.0.0.1", resolve));
console.log(`listening ${env.port}`);

process.on("SIGTERM", () => {
  server.closeAllConnections();
  server.close();
  // Builds with the session cache give `Auth` a `close()` for its listening connection.
  Promise.resolve("close" in auth && typeof auth.close === "function" ? auth.close() : undefined)
    .then(() => database.close())
    .finally(() => process.exit(0));
});
