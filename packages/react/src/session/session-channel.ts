import type { SessionUser } from "../trpc/router-types.ts";
import type { SignOutReason } from "./session-store.ts";

/**
 * What tabs tell each other. Same-origin only: a BroadcastChannel never leaves the browser.
 * `startedAt` is when the request that produced a token left (`Date.now()`, one clock for every
 * tab of the browser); `at` is when a session ended. A token whose request left before the
 * session ended is stale.
 */
export type SessionMessage =
  | { type: "token"; accessToken: string; expiresAt: string; localExpiresAt: number; startedAt: number; user: SessionUser }
  | { type: "signed-out"; reason: SignOutReason | null; at: number };

const CHANNEL = "bk-session";
const REASONS: ReadonlySet<unknown> = new Set(["ended", "elsewhere", "reused", "deleted", "limit", null]);
let channel: BroadcastChannel | null = null;

function open(): BroadcastChannel | null {
  if (typeof BroadcastChannel === "undefined") return null;
  channel ??= new BroadcastChannel(CHANNEL);
  return channel;
}

function isSessionMessage(value: unknown): value is SessionMessage {
  if (typeof value !== "object" || value === null || !("type" in value)) return false;
  if (value.type === "signed-out") return "at" in value && typeof value.at === "number" && "reason" in value && REASONS.has(value.reason);
  return (
    value.type === "token" &&
    "accessToken" in value &&
    typeof value.accessToken === "string" &&
    "startedAt" in value &&
    typeof value.startedAt === "number" &&
    "user" in value
  );
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
