import type { SessionUser } from "../transport/router-types.ts";
import type { TokenScheme } from "../transport/transport-headers.ts";
import type { SignOutReason } from "./session-store.ts";

/**
 * What tabs tell each other. Same-origin only: a BroadcastChannel never leaves the browser.
 * `startedAt` is when the request that produced a token left (`Date.now()`, one clock for every
 * tab of the browser); `at` is when a session ended. A token whose request left before the
 * session ended is stale.
 */
export type SessionMessage =
  | {
      type: "token";
      accessToken: string;
      tokenType: TokenScheme;
      expiresAt: string;
      localExpiresAt: number;
      startedAt: number;
      user: SessionUser;
    }
  | { type: "signed-out"; reason: SignOutReason | null; at: number };

/** Hands session changes to this origin's other tabs, so one refresh serves them all. */
export interface SessionChannel {
  post(message: SessionMessage): void;
  listen(handler: (message: SessionMessage) => void): () => void;
}

const REASONS: ReadonlySet<unknown> = new Set(["ended", "elsewhere", "reused", "deleted", "limit", null]);

function isSessionMessage(value: unknown): value is SessionMessage {
  if (typeof value !== "object" || value === null || !("type" in value)) return false;
  if (value.type === "signed-out") return "at" in value && typeof value.at === "number" && "reason" in value && REASONS.has(value.reason);
  return (
    value.type === "token" &&
    "accessToken" in value &&
    typeof value.accessToken === "string" &&
    "tokenType" in value &&
    (value.tokenType === "Bearer" || value.tokenType === "DPoP") &&
    "startedAt" in value &&
    typeof value.startedAt === "number" &&
    "user" in value
  );
}

/**
 * The channel named `name`, opened on first use: never during a server render, where nothing
 * posts or listens. Without BroadcastChannel each tab keeps to itself.
 *
 * @example const stop = createSessionChannel("bk-session").listen((message) => console.info(message.type));
 */
export function createSessionChannel(name: string): SessionChannel {
  let channel: BroadcastChannel | null = null;
  const open = (): BroadcastChannel | null => {
    if (typeof BroadcastChannel === "undefined") return null;
    if (channel) return channel;
    channel = new BroadcastChannel(name);
    // Node has BroadcastChannel too (tests, scripts), and an open one would keep it running.
    if ("unref" in channel && typeof channel.unref === "function") channel.unref();
    return channel;
  };
  return {
    post(message) {
      open()?.postMessage(message);
    },
    listen(handler) {
      const target = open();
      if (!target) return () => {};
      const onMessage = (event: MessageEvent<unknown>) => {
        if (isSessionMessage(event.data)) handler(event.data);
      };
      target.addEventListener("message", onMessage);
      return () => target.removeEventListener("message", onMessage);
    },
  };
}
