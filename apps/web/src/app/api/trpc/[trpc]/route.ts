import { createFetchHandler } from "@bearer-kit/api";
import { env } from "../../../../env.ts";
import { getAuth } from "../../../../server/auth.ts";

// Argon2 and PGlite need Node; every call is per-user, so nothing here may be cached.
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const handler = createFetchHandler({
  auth: getAuth,
  endpoint: "/api/trpc",
  trustedProxies: env.AUTH_TRUSTED_PROXIES,
  // Clients get a bare "Internal server error"; the operator needs the cause.
  onError: ({ error, path }) => {
    if (error.code === "INTERNAL_SERVER_ERROR" || error.code === "SERVICE_UNAVAILABLE") {
      console.error(`trpc ${path ?? "(request)"} failed:`, error.cause ?? error);
    }
  },
});

export { handler as GET, handler as POST };
