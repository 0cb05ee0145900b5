import { createJwksHandler } from "@bearer-kit/auth";
import { getAuth } from "../../../server/auth.ts";

// The public keys other services verify our access tokens with (next, current, previous).
// The handler sets `Cache-Control: public, max-age=300` itself; nothing here is per-user.
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = createJwksHandler(getAuth);
