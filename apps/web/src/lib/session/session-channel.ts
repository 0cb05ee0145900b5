import type { SessionUser } from "../trpc/router-types.ts";

/** What tabs tell each other. Same-origin only: a BroadcastChannel never leaves the browser. */
export type SessionMessage =
  | { type: "token"; accessToken: string; expiresAt: string; localExpiresAt: number; user: SessionUser }
  | { type: "signed-out" };

const CHANNEL = "bk-session";
let channel: BroadcastChannel | null = null;

function open(): BroadcastChannel | null {
  if (typeof BroadcastChannel === "undefined") return null;
  channel ??= new BroadcastChannel(CHANNEL);
  return channel;
}

function isSessionMessage(value: unknown): value is SessionMessage {
  if (typeof value !== "object" || value === null || !("type" in value)) return false;
  if (value.type === "signed-out") return true;
  return value.type === "token" && "accessToken" in value && typeof value.accessToken === "string" && "user" in value;
}

/**
 * Hands session changes to this origin's other tabs, so one refresh serves them all.
 *
 * @example const stop = sessionChannel.listen((message) => console.log(message.type));
 */
export const sessionChannel = {
  post(message: SessionMessage): void {
    open()?.postMessage(message);
  },
  listen(handler: (message: SessionMessage) => void): () => void {
    const target = open();
    if (!target) return () => {};
    const onMessage = (event: MessageEvent<unknown>) => {
      if (isSessionMessage(event.data)) handler(event.data);
    };
    target.addEventListener("message", onMessage);
    return () => target.removeEventListener("message", onMessage);
  },
};
