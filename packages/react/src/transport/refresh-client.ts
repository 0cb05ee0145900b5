import type { AppRouter } from "@bearer-kit/api";
import { createTRPCClient, httpLink, type TRPCClient } from "@trpc/client";
import { type Transport, transportHeaders } from "./transport-headers.ts";

/**
 * A bare client for `auth.refresh` only. It bypasses the auth link on purpose: a refresh that
 * triggered another refresh on failure would loop. The refresh token travels in the cookie.
 *
 * @example const payload = await createRefreshClient(transport).auth.refresh.mutate({});
 */
export function createRefreshClient(transport: Transport): TRPCClient<AppRouter> {
  return createTRPCClient<AppRouter>({
    links: [httpLink({ url: transport.url, fetch: transport.fetch, headers: () => transportHeaders(null) })],
  });
}
