/**
 * What every revocation feed shares: the channel, the message types, the payload parser and the
 * subscriber list with its listening state.
 */
export const REVOCATION_CHANNEL = "bearer_kit_revocations";
/**
 * Where migration 0008's trigger announces that a security event was queued for the feed's
 * receivers. Heard on the revocation feed's own connection: one listener per client for both.
 */
export const SECURITY_EVENTS_CHANNEL = "bearer_kit_security_events";

export type Revocation =
  /** These sessions ended with `reason`; with `reason` null they only changed. */
  | { kind: "sessions"; ids: string[]; reason: string | null }
  /** Sessions of this user ended with `reason` (too many to list); with `reason` null the user row changed. */
  | { kind: "user"; userId: string; reason: string | null }
  /** This signing key was retired or deleted. */
  | { kind: "key"; kid: string }
  /** Anything may have changed. */
  | { kind: "all" };

/** What arrives on the channel: a revocation, or a listener's probe (never passed on). */
export type FeedMessage = Revocation | { kind: "probe"; id: string };

export interface RevocationHandlers {
  /** Called synchronously for each notification, in commit order. */
  message(revocation: Revocation): void;
  /** The listener is down: notifications may be missed until `subscribed`. */
  lost(): void;
  /** (Re)subscribed: whatever was cached before may have missed notifications. */
  subscribed(): void;
  /**
   * A probe did not come back (database/listener-probe.ts): the listener hears nothing, though it
   * may be subscribed, and stays strict until `subscribed`. Repeated at every missed probe.
   */
  missed?(): void;
  /**
   * A security event was queued for the feed's receivers (any instance, once committed). Carries
   * nothing: a long poll wakes and reads its queue. Lost like any notification while not listening.
   */
  queued?(): void;
}

export interface RevocationFeed {
  /** True while notifications arrive: only then may anything be answered from memory. */
  readonly listening: boolean;
  subscribe(handlers: RevocationHandlers): () => void;
}

/** A started feed, closed with its client. */
export interface Feed extends RevocationFeed {
  close(): Promise<void>;
}

const isStrings = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === "string");
const reasonOf = (value: unknown): string | null => (typeof value === "string" ? value : null);

/**
 * Reads a payload; anything unexpected is taken as "drop everything", which is always safe. A
 * probe is not unexpected: every instance's probes reach every listener, and must cost nothing.
 */
export function parseNotification(payload: string): FeedMessage {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return { kind: "all" };
  }
  if (typeof value !== "object" || value === null) return { kind: "all" };
  const record = value as Record<string, unknown>;
  if (isStrings(record.s)) return { kind: "sessions", ids: record.s, reason: reasonOf(record.r) };
  if (typeof record.u === "string") return { kind: "user", userId: record.u, reason: reasonOf(record.r) };
  if (typeof record.k === "string") return { kind: "key", kid: record.k };
  if (typeof record.p === "string") return { kind: "probe", id: record.p };
  return { kind: "all" };
}

/** The subscriber list and state every feed shares; probes go to `onProbe`, never to subscribers. */
export function createHub(onProbe: (id: string) => void = () => {}): {
  feed: Omit<Feed, "close">;
  emit: (payload: string) => void;
  /** A notification on SECURITY_EVENTS_CHANNEL arrived. */
  queued: () => void;
  setListening: (value: boolean) => void;
  probeMissed: () => void;
} {
  const subscribers = new Set<RevocationHandlers>();
  let listening = false;
  return {
    feed: {
      get listening() {
        return listening;
      },
      subscribe(handlers) {
        subscribers.add(handlers);
        return () => subscribers.delete(handlers);
      },
    },
    emit(payload) {
      const message = parseNotification(payload);
      if (message.kind === "probe") return onProbe(message.id);
      for (const handlers of subscribers) handlers.message(message);
    },
    queued() {
      for (const handlers of subscribers) handlers.queued?.();
    },
    setListening,
    probeMissed() {
      setListening(false);
      for (const handlers of subscribers) handlers.missed?.();
    },
  };

  function setListening(value: boolean): void {
    if (value === listening && !value) return;
    listening = value;
    for (const handlers of subscribers) {
      if (value) handlers.subscribed();
      else handlers.lost();
    }
  }
}
