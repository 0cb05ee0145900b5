import type { AnyTRPCRouter } from "@trpc/server";
import { TRPCClientError, type TRPCLink } from "@trpc/client";
import { observable, type Unsubscribable } from "@trpc/server/observable";
import { readAuthError } from "../errors/read-auth-error.ts";
import { isSessionEnded } from "../errors/session-ended.ts";
import type { RefreshAccessToken } from "../refresh/refresh-access-token.ts";
import type { SessionStore } from "../session/session-store.ts";
import type { SessionTransitions } from "../session/session-transitions.ts";

// The message of a call failed by a refresh that got no answer. It carries no data, so
// `readAuthError` reports it as `network: true`, as an unreachable server's own failure is.
const UNREACHABLE = "The session could not be refreshed: the server did not answer.";

/**
 * Keeps calls working across access-token expiry: on `TOKEN_EXPIRED` it refreshes (shared with
 * every other caller, see `createRefresher`) and retries the call once. A refresh that got
 * no answer fails the call as a network error, not as an expired session: the session may be
 * fine. When the session has ended server-side (revoked, signed out everywhere) it drops the
 * token, which sends protected pages to sign-in, and tells the other tabs.
 *
 * @example createTRPCClient<AppRouter>({ links: [createAuthLink(parts), httpBatchLink({ url })] });
 */
export function createAuthLink(parts: {
  store: SessionStore;
  transitions: SessionTransitions;
  refreshAccessToken: RefreshAccessToken;
}): TRPCLink<AnyTRPCRouter> {
  const { store, transitions, refreshAccessToken } = parts;
  return () =>
    ({ op, next }) =>
      observable((observer) => {
        let subscription: Unsubscribable | undefined;
        let cancelled = false;

        const send = (attempt: number) => {
          const sentToken = store.accessToken();
          subscription = next(op).subscribe({
            next: (result) => observer.next(result),
            complete: () => observer.complete(),
            error: (error) => {
              const info = readAuthError(error);
              // Once only: a token that expires again straight after a refresh means a clock or
              // server problem, and looping would hammer the refresh endpoint.
              if (info.code === "TOKEN_EXPIRED" && attempt === 0 && sentToken !== null) {
                void refreshAccessToken(sentToken).then((outcome) => {
                  if (cancelled) return;
                  if (outcome === "refreshed") send(1);
                  else if (outcome === "unavailable") observer.error(TRPCClientError.from(new Error(UNREACHABLE)));
                  else observer.error(error);
                });
                return;
              }
              // Only if nothing replaced the token meanwhile: a newer one may belong to a newer sign-in.
              if (sentToken !== null && sentToken === store.accessToken() && isSessionEnded(info)) {
                // Revoked or replayed: the shared cookie is dead too, so every tab hears it. Any
                // other 401 may concern only the token this tab holds.
                const killed = info.code === "SESSION_REVOKED" || info.code === "REFRESH_REUSED";
                transitions.endSession({ broadcast: killed, reason: info.code === "REFRESH_REUSED" ? "reused" : "ended" });
              }
              observer.error(error);
            },
          });
        };

        send(0);
        return () => {
          cancelled = true;
          subscription?.unsubscribe();
        };
      });
}
