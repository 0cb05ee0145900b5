import type { AuthPayload } from "../trpc/router-types.ts";
import { type SessionMessage, sessionChannel } from "./session-channel.ts";
import { sessionStore } from "./session-store.ts";

/**
 * Holds the tokens from `register`, `signin` or `refresh` and shares them with the other tabs.
 *
 * @example const payload = await client.auth.signin.mutate(input); startSession(payload);
 */
export function startSession(payload: AuthPayload): void {
  const message: SessionMessage = {
    type: "token",
    accessToken: payload.accessToken,
    expiresAt: new Date(payload.expiresAt).toISOString(),
    // `expiresIn` is relative, so scheduling is immune to skew between this clock and the server's.
    localExpiresAt: Date.now() + payload.expiresIn * 1000,
    user: payload.user,
  };
  adoptSessionMessage(message);
  sessionChannel.post(message);
}

/**
 * Forgets the access token. `broadcast` tells the other tabs too: right when the shared
 * refresh cookie is gone (sign-out, revoked session), wrong for a failure only this tab saw.
 *
 * @example endSession({ broadcast: true });
 */
export function endSession(options: { broadcast: boolean }): void {
  sessionStore.set({ status: "signed-out" });
  if (options.broadcast) sessionChannel.post({ type: "signed-out" });
}

/** Applies a message from another tab (or our own, before posting it). */
export function adoptSessionMessage(message: SessionMessage): void {
  if (message.type === "signed-out") {
    sessionStore.set({ status: "signed-out" });
    return;
  }
  sessionStore.set({
    status: "signed-in",
    accessToken: message.accessToken,
    expiresAt: new Date(message.expiresAt),
    localExpiresAt: message.localExpiresAt,
    user: message.user,
  });
}
