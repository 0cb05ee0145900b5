import type { AppRouter } from "@bearer-kit/api";
import { createTRPCClient, httpSubscriptionLink, type TRPCClient } from "@trpc/client";
import { EventSource } from "eventsource";
import { type TokenScheme, type Transport, transportHeaders } from "./transport-headers.ts";

/**
 * A client for `auth.sessionEvents` over server-sent events, bound to one access token (sent
 * under `scheme`; `transport.fetch` adds the DPoP proof of each connection when DPoP is on). The
 * browser's own EventSource cannot send headers, and tRPC's `connectionParams` would put the
 * token in the query string, where proxies and servers log it. The `eventsource` ponyfill
 * streams over fetch instead, so the token goes in the Authorization header, on every
 * reconnection too. Same origin, so a page's `connect-src 'self'` allows it.
 *
 * @example createEventsClient(transport, token, "Bearer").auth.sessionEvents.subscribe(undefined, { onData: console.info });
 */
export function createEventsClient(transport: Transport, accessToken: string, scheme: TokenScheme): TRPCClient<AppRouter> {
  return createTRPCClient<AppRouter>({
    links: [
      httpSubscriptionLink({
        url: transport.url,
        EventSource,
        eventSourceOptions: {
          fetch: (input, init) => transport.fetch(input, { ...init, headers: { ...init.headers, ...transportHeaders(accessToken, scheme) } }),
        },
      }),
    ],
  });
}
