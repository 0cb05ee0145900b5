import type { AppRouter } from "@bearer-kit/api";
import { TRPCClientError, type TRPCLink } from "@trpc/client";
import { observable, type Unsubscribable } from "@trpc/server/observable";
import { readAuthError } from "../auth-error.ts";
import { UNREACHABLE } from "../friendly-message.ts";
import { refreshAccessToken } from "./refresh-access-token.ts";
import { isSessionEnded } from "./session-ended.ts";
import { sessionStore } from "./session-store.ts";
import { endSession } from "./session-transitions.ts";

/**
 * Keeps calls working across access-token expiry: on `TOKEN_EXPIRED` it refreshes (shared with
 * every other caller, see `refreshAccessToken`) and retries the call once. A refresh that got
 * no answer fails the call as a network error, not as an expired session: the session may be
 * fine. When the session has ended server-side (revoked, signed out everywhere) it drops the
 * token, which sends protected pages to /signin, and tells the other tabs.
 *
 * @example trpc.createClient({ links: [authLink, httpBatchLink({ url: "/api/trpc" })] });
 */
export const authLink: TRPCLink<AppRouter> = () => ({ op, next }) =>
  observable((observer) => {
    let subscription: Unsubscribable | undefined;
    let cancelled = false;

    const send = (attempt: number) => {
      const sentToken = sessionStore.accessToken();
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
          if (sentToken !== null && sentToken === sessionStore.accessToken() && isSessionEnded(info)) {
            // Revoked or replayed: the shared cookie is dead too, so every tab hears it. Any
            // other 401 may concern only the token this tab holds.
            const killed = info.code === "SESSION_REVOKED" || info.code === "REFRESH_REUSED";
            endSession({ broadcast: killed, reason: info.code === "REFRESH_REUSED" ? "reused" : "ended" });
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
