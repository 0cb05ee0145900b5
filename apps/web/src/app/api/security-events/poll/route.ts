import { createSecurityEventPollHandler } from "@bearer-kit/api";
import { getAuth } from "../../../../server/auth.ts";

// PGlite needs Node; each answer is one receiver's queue, so nothing here may be cached.
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * The Security Event Token feed (RFC 8936 poll; docs/security-event-feed.md). A long poll waits
 * up to 25 s: well within the start server's request timeout (Node's default, 300 s).
 */
const handler = createSecurityEventPollHandler(getAuth, {
  // Receivers get a bare 500; the operator needs the cause.
  onError: (error) => console.error("security-events poll failed:", error),
});

function handle(req: Request): Promise<Response> {
  return handler(req);
}

// Every method reaches the handler, which answers anything but POST with 405 in the feed's shape.
export { handle as DELETE, handle as GET, handle as PATCH, handle as POST, handle as PUT };
