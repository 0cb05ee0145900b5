import type { AnyTRPCRouter } from "@trpc/server";
import { httpBatchLink, type TRPCLink } from "@trpc/client";
import type { RefreshAccessToken } from "../refresh/refresh-access-token.ts";
import type { SessionStore } from "../session/session-store.ts";
import type { SessionTransitions } from "../session/session-transitions.ts";
import { type Transport, transportHeaders } from "../transport/transport-headers.ts";
import { createAuthLink } from "./auth-link.ts";

/**
 * The links of a tRPC client that calls as this session: the auth link (refresh once on
 * `TOKEN_EXPIRED`, then retry) in front of a batching HTTP link that attaches the in-memory
 * access token to each request. Typed for any router: what they do depends on no procedure, and
 * the session client hands them out typed for its own.
 *
 * @example createTRPCClient<AppRouter>({ links: createSessionLinks(parts) });
 */
export function createSessionLinks(parts: {
  transport: Transport;
  store: SessionStore;
  transitions: SessionTransitions;
  refreshAccessToken: RefreshAccessToken;
}): TRPCLink<AnyTRPCRouter>[] {
  const { transport, store } = parts;
  return [
    createAuthLink(parts),
    // Read at send time, so a retry after a refresh carries the new token.
    httpBatchLink({ url: transport.url, fetch: transport.fetch, headers: () => transportHeaders(store.accessToken(), store.tokenType()) }),
  ];
}
