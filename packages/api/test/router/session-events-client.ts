import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, TRPCClientError } from "@trpc/client";
import { EventSource } from "eventsource";
import type { AppRouter } from "../../src/index.ts";

/** What one `auth.sessionEvents` subscription saw, in order. */
export interface Subscription {
  /** Resolves once the stream is open (the server set up its watch before that). */
  started: Promise<undefined>;
  /** Resolves when the stream ends: with the events it carried, and the error if it failed. */
  finished: Promise<{ events: unknown[]; error: { code: string | undefined; authCode: unknown } | null }>;
  unsubscribe(): void;
}

/**
 * A tRPC client as a browser runs it: subscriptions over SSE through the `eventsource` ponyfill,
 * whose `fetch` option puts the token in the Authorization header, never in the URL.
 */
export function sessionEventsClient(url: string, token: string | null, requested: string[] = []) {
  const authorization: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  // Every URL the client asks for, so a test can prove the token is in none of them.
  const recordingFetch = (input: string | URL | Request, init?: RequestInit) => {
    requested.push(input instanceof Request ? input.url : String(input));
    return fetch(input, init);
  };
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: httpSubscriptionLink({
          url,
          EventSource,
          eventSourceOptions: { fetch: (input, init) => recordingFetch(input, { ...init, headers: { ...init.headers, ...authorization } }) },
        }),
        false: httpBatchLink({ url, headers: authorization, fetch: recordingFetch }),
      }),
    ],
  });
}

/** Subscribes to `auth.sessionEvents` with `token` and records what arrives (and, in `requested`, every URL asked for). */
export function subscribe(url: string, token: string | null, requested: string[] = []): Subscription {
  const events: unknown[] = [];
  let markStarted: () => void = () => {};
  const started = new Promise<undefined>((resolve) => (markStarted = () => resolve(undefined)));
  let finish: (outcome: Awaited<Subscription["finished"]>) => void = () => {};
  const finished = new Promise<Awaited<Subscription["finished"]>>((resolve) => (finish = resolve));
  const subscription = sessionEventsClient(url, token, requested).auth.sessionEvents.subscribe(undefined, {
    onStarted: () => markStarted(),
    onData: (event) => events.push(event),
    onComplete: () => finish({ events, error: null }),
    onError: (error) => {
      const data = error instanceof TRPCClientError ? (error.data as { code?: string; authCode?: unknown } | undefined) : undefined;
      finish({ events, error: { code: data?.code, authCode: data?.authCode ?? null } });
    },
  });
  // A subscription refused at once never starts: let `started` settle rather than hang.
  void finished.then(() => markStarted());
  return { started, finished, unsubscribe: () => subscription.unsubscribe() };
}
