import type { AuthPayload } from "../trpc/router-types.ts";
import { type SessionMessage, sessionChannel } from "./session-channel.ts";
import { type SignOutReason, sessionStore } from "./session-store.ts";

// When this tab last saw a session end (its own sign-out or another tab's). A token from a
// request that left before then is stale: a refresh the server answered just before a logout
// must not bring the session back here or, broadcast, in any other tab.
let endedAt = 0;

/**
 * Holds the tokens from `register`, `signin` or `refresh` and shares them with the other tabs.
 * `startedAt` is when the request left; returns false, adopting nothing, when the session
 * ended after that.
 *
 * @example const startedAt = Date.now(); startSession(await client.auth.refresh.mutate({}), { startedAt });
 */
export function startSession(payload: AuthPayload, options: { startedAt: number }): boolean {
  const message: SessionMessage = {
    type: "token",
    accessToken: payload.accessToken,
    expiresAt: new Date(payload.expiresAt).toISOString(),
    // `expiresIn` is relative, so scheduling is immune to skew between this clock and the server's.
    localExpiresAt: Date.now() + payload.expiresIn * 1000,
    startedAt: options.startedAt,
    user: payload.user,
  };
  if (!adoptSessionMessage(message)) return false;
  sessionChannel.post(message);
  return true;
}

/**
 * Forgets the access token. `broadcast` tells the other tabs too: right when the shared
 * refresh cookie is gone (sign-out, revoked session), wrong for a failure only this tab saw.
 * `reason` is what the sign-in page tells the user, if anything.
 *
 * @example endSession({ broadcast: true, reason: null });
 */
export function endSession(options: { broadcast: boolean; reason: SignOutReason | null }): void {
  const message: SessionMessage = { type: "signed-out", reason: options.reason, at: Date.now() };
  adoptSessionMessage(message);
  if (options.broadcast) sessionChannel.post(message);
}

/** Applies a message from another tab (or our own, before posting it); false if it was stale. */
export function adoptSessionMessage(message: SessionMessage): boolean {
  if (message.type === "signed-out") {
    endedAt = Math.max(endedAt, message.at);
    const current = sessionStore.get();
    // "ended" is all a failing call can tell; a reason already known (the server announced who
    // ended the session) says more, and a refresh failing just after must not replace it.
    const known = current.status === "signed-out" && current.reason !== null && message.reason === "ended";
    sessionStore.set({ status: "signed-out", reason: known ? current.reason : message.reason });
    return true;
  }
  if (message.startedAt <= endedAt) return false;
  sessionStore.set({
    status: "signed-in",
    accessToken: message.accessToken,
    expiresAt: new Date(message.expiresAt),
    localExpiresAt: message.localExpiresAt,
    user: message.user,
  });
  return true;
}
