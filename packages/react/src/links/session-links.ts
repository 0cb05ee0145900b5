import { httpBatchLink } from "@trpc/client";
import { authLink } from "../session/auth-link.ts";
import { sessionStore } from "../session/session-store.ts";
import { TRPC_ENDPOINT, transportHeaders } from "./transport.ts";
import { trpc } from "./trpc.ts";

/**
 * The browser's tRPC client: the auth link (refresh once on `TOKEN_EXPIRED`, then retry) in
 * front of a batching HTTP link that attaches the in-memory access token to each request.
 *
 * @example const client = createBrowserClient();
 */
export function createBrowserClient(): ReturnType<typeof trpc.createClient> {
  return trpc.createClient({
    links: [
      authLink,
      // Read at send time, so a retry after a refresh carries the new token.
      httpBatchLink({ url: TRPC_ENDPOINT, headers: () => transportHeaders(sessionStore.accessToken()) }),
    ],
  });
}
