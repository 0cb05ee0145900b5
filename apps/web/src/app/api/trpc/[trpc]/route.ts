import { createFetchHandler } from "@bearer-kit/api";
import { env, isDevelopmentBuild } from "../../../../env.ts";
import { getAuth } from "../../../../server/auth.ts";
import { isHttpsDeployment } from "../../../../server/https-deployment.ts";
import { peerAddressOf } from "../../../../server/start-server.ts";

// Argon2 and PGlite need Node; every call is per-user, so nothing here may be cached.
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const handler = createFetchHandler({
  auth: getAuth,
  endpoint: "/api/trpc",
  trustedProxies: env.AUTH_TRUSTED_PROXIES,
  // Stacks and internal messages in error responses: `pnpm dev` only, never a production build.
  exposeInternals: isDevelopmentBuild,
  // Secure, __Host- refresh cookie when APP_URL is https or AUTH_COOKIE_SECURE=true: a TLS proxy
  // need not send X-Forwarded-Proto (nginx does not by default).
  secureCookie: isHttpsDeployment(env),
  // Clients get a bare "Internal server error"; the operator needs the cause.
  onError: ({ error, path }) => {
    if (error.code === "INTERNAL_SERVER_ERROR" || error.code === "SERVICE_UNAVAILABLE") {
      console.error(`trpc ${path ?? "(request)"} failed:`, error.cause ?? error);
    }
  },
});

/** The start server passes the socket address along; a `Request` alone cannot tell it. */
function handle(req: Request): Promise<Response> {
  return handler(req, { peerAddress: peerAddressOf(req) });
}

export { handle as GET, handle as POST };
