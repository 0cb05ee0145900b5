import type { AppRouter } from "@bearer-kit/api";
import { createTRPCClient, httpLink } from "@trpc/client";
import { TRPC_ENDPOINT, transportHeaders } from "./transport.ts";

/**
 * A bare client for `auth.refresh` only. It bypasses the auth link on purpose: a refresh that
 * triggered another refresh on failure would loop. The refresh token travels in the cookie.
 *
 * @example const payload = await refreshClient.auth.refresh.mutate({});
 */
export const refreshClient = createTRPCClient<AppRouter>({
  links: [httpLink({ url: TRPC_ENDPOINT, headers: () => transportHeaders(null) })],
});
