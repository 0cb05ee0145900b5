import type { AuthPayload } from "../transport/router-types.ts";
import type { SessionChannel, SessionMessage } from "./session-channel.ts";
import type { SignOutReason, SessionStore } from "./session-store.ts";

/** Sign-ins, refreshes and sign-outs as one tab applies them and tells the others. */
export interface SessionTransitions {
  /**
   * Holds the tokens from `register`, `signin` or `refresh` and shares them with the other tabs.
   * `startedAt` is when the request left; returns false, adopting nothing, when the session
   * ended after that.
   */
  startSession(payload: AuthPayload, options: { startedAt: number }): boolean;
  /**
   * Forgets the access token. `broadcast` tells the other tabs too: right when the shared
   * refresh cookie is gone (sign-out, revoked session), wrong for a failure only this tab saw.
   * `reason` is what the sign-in page tells the user, if anything.
   */
  endSession(options: { broadcast: boolean; reason: SignOutReason | null }): void;
  /** Applies a message from another tab (or our own, before posting it); false if it was stale. */
  adopt(message: SessionMessage): boolean;
}

/**
 * The transitions of one tab's `store`, shared over `channel`.
 *
 * @example const startedAt = Date.now(); transitions.startSession(await client.auth.refresh.mutate({}), { startedAt });
 */
export function createSessionTransitions(parts: { store: SessionStore; channel: SessionChannel }): SessionTransitions {
  const { store, channel } = parts;
  // When this tab last saw a session end (its own sign-out or another tab's). A token from a
  // request that left before then is stale: a refresh the server answered just before a logout
  // must not bring the session back here or, broadcast, in any other tab.
  let endedAt = 0;

  function adopt(message: SessionMessage): boolean {
    if (message.type === "signed-out") {
      endedAt = Math.max(endedAt, message.at);
      const current = store.get();
      // "ended" is all a failing call can tell; a reason already known (the server announced who
      // ended the session) says more, and a refresh failing just after must not replace it.
      const known = current.status === "signed-out" && current.reason !== null && message.reason === "ended";
      store.set({ status: "signed-out", reason: known ? current.reason : message.reason });
      return true;
    }
    if (message.startedAt <= endedAt) return false;
    store.set({
      status: "signed-in",
      accessToken: message.accessToken,
      tokenType: message.tokenType,
      expiresAt: new Date(message.expiresAt),
      localExpiresAt: message.localExpiresAt,
      user: message.user,
    });
    return true;
  }

  return {
    adopt,
    startSession(payload, options) {
      const message: SessionMessage = {
        type: "token",
        accessToken: payload.accessToken,
        tokenType: payload.tokenType,
        expiresAt: new Date(payload.expiresAt).toISOString(),
        // `expiresIn` is relative, so scheduling is immune to skew between this clock and the server's.
        localExpiresAt: Date.now() + payload.expiresIn * 1000,
        startedAt: options.startedAt,
        user: payload.user,
      };
      if (!adopt(message)) return false;
      channel.post(message);
      return true;
    },
    endSession(options) {
      const message: SessionMessage = { type: "signed-out", reason: options.reason, at: Date.now() };
      adopt(message);
      if (options.broadcast) channel.post(message);
    },
  };
}
