import type { AppRouter } from "@bearer-kit/api";
import { createSessionClient, type SessionClient } from "@bearer-kit/react/client";

/** Where the tRPC route handler is mounted (`src/app/api/trpc/[trpc]/route.ts`). */
export const TRPC_ENDPOINT = "/api/trpc";

/**
 * This tab's session: one per page load, like the access token it holds. Created at import
 * without touching the network or the other tabs; `<SessionProvider>` starts it in the browser.
 * DPoP is on: the tokens are bound to a non-extractable key kept in IndexedDB (`bk-dpop`), so a
 * token or refresh cookie copied out of the browser is useless elsewhere (docs/dpop.md).
 *
 * @example const token = sessionClient.getAccessToken();
 */
export const sessionClient: SessionClient<AppRouter> = createSessionClient<AppRouter>({ url: TRPC_ENDPOINT, dpop: {} });
