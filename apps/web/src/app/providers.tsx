"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { SessionProvider } from "@bearer-kit/react";
import { readAuthError } from "@bearer-kit/react/client";
import { sessionClient } from "../lib/session-client.ts";
import { trpc } from "../lib/trpc/trpc.ts";

function shouldRetry(failureCount: number, error: unknown): boolean {
  // A 4xx answer will not change on retry; only flaky networks and 5xx deserve another go.
  const { httpStatus } = readAuthError(error);
  if (httpStatus !== null && httpStatus < 500) return false;
  return failureCount < 2;
}

function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 10_000 },
      mutations: { retry: false },
    },
  });
}

/**
 * The client-side context every page needs: React Query, the tRPC client and the session.
 *
 * @example <Providers>{children}</Providers>
 */
export function Providers({ children }: { children: ReactNode }): ReactNode {
  // useState, not module scope: one client per browser tab, none shared across server renders.
  const [queryClient] = useState(createQueryClient);
  // The session's links: each call carries the in-memory token and survives its expiry.
  const [trpcClient] = useState(() => trpc.createClient({ links: sessionClient.links }));
  return (
    <trpc.Provider client={trpcClient} queryClient={queryClient}>
      <QueryClientProvider client={queryClient}>
        <SessionProvider client={sessionClient} queryClient={queryClient}>
          {children}
        </SessionProvider>
      </QueryClientProvider>
    </trpc.Provider>
  );
}
