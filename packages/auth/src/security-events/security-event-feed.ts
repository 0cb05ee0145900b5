/**
 * The Security Event Token feed, poll-based per RFC 8936: each receiver's queue (one
 * `security_event_deliveries` row per event it has not acknowledged) handed out as signed SETs.
 *
 * - Acknowledgements come first, and delete only the caller's own rows: a receiver cannot empty
 *   another's queue, whatever jtis it sends.
 * - Handing out deletes nothing. An event stays queued until acknowledged, so a receiver that
 *   crashed between a poll and its processing gets it again, and two polls of one receiver at
 *   once both get it (redelivery is allowed, loss is not).
 * - Oldest first, `maxEvents` at most; `moreAvailable` says whether more wait.
 * - With nothing queued, a long poll waits for migration 0008's notification (queue-signal.ts)
 *   or `waitMs`, whichever comes first; it holds no database connection while it waits.
 */
import { and, asc, eq, inArray } from "drizzle-orm";
import type { AuthConfig } from "../config/options.ts";
import { rethrowDatabaseError } from "../database/db-errors.ts";
import type { RevocationFeed } from "../database/revocation-feed.ts";
import { securityEventDeliveries, securityEvents } from "../database/schema.ts";
import { AuthError } from "../errors.ts";
import type { KeySet } from "../keys/key-set-types.ts";
import { createQueueSignal } from "./queue-signal.ts";
import { createReceivers, type SecurityEventReceiver, type SecurityEventReceivers } from "./receivers.ts";
import { createSecurityEventTokens } from "./security-event-token.ts";

/** RFC 8936 leaves the default to the transmitter. */
export const DEFAULT_MAX_EVENTS = 100;
export const MAX_EVENTS = 1000;
/** How long a long poll waits for an event before answering empty. */
export const DEFAULT_POLL_WAIT_MS = 25_000;
const MAX_POLL_WAIT_MS = 60_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface PollOptions {
  /** The jtis the receiver processed: removed from its queue before anything is handed out. */
  ack?: readonly string[];
  /** At most this many SETs, 0 to 1000 (default 100); 0 only acknowledges. */
  maxEvents?: number;
  /** Answer at once, even with nothing queued. Default false: wait up to `waitMs`. */
  returnImmediately?: boolean;
  /** How long a long poll waits, in milliseconds (default 25 000, at most 60 000). */
  waitMs?: number;
  /** Ends a waiting poll early (the HTTP client went away); it then answers empty. */
  signal?: AbortSignal;
}

export interface PollResult {
  /** jti → compact SET, oldest event first. */
  sets: Record<string, string>;
  moreAvailable: boolean;
}

export interface SecurityEventFeed {
  /**
   * One poll of `receiver`'s queue (RFC 8936 §2.4). Throws `FEED_UNAVAILABLE` under HS*,
   * `INVALID_INPUT` for a `maxEvents` outside 0..1000.
   *
   * @example
   * const receiver = await auth.securityEventFeed.receivers.authenticate(credential);
   * if (receiver) ({ sets } = await auth.securityEventFeed.poll(receiver, { ack: processed }));
   */
  poll(receiver: Pick<SecurityEventReceiver, "id" | "name">, options?: PollOptions): Promise<PollResult>;
  /** Registering, removing and authenticating the services that poll. */
  readonly receivers: SecurityEventReceivers;
}

export interface SecurityEventFeedDeps {
  config: Pick<AuthConfig, "db" | "now" | "algorithm" | "issuer">;
  keys: Pick<KeySet, "signer">;
  feed: RevocationFeed | null;
}

function readMaxEvents(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_EVENTS;
  if (!Number.isInteger(value) || value < 0 || value > MAX_EVENTS) {
    throw new AuthError("INVALID_INPUT", `maxEvents must be an integer from 0 to ${MAX_EVENTS}.`, { fieldErrors: { maxEvents: [`Use 0 to ${MAX_EVENTS}.`] } });
  }
  return value;
}

/**
 * @example const feed = createSecurityEventFeed({ config, keys, feed: revocationFeed(db) }); // ... feed.close();
 */
export function createSecurityEventFeed({ config, keys, feed }: SecurityEventFeedDeps): SecurityEventFeed & { close(): void } {
  const { db } = config;
  const tokens = createSecurityEventTokens(config, keys);
  const signal = createQueueSignal(feed);

  async function acknowledge(receiverId: string, ack: readonly string[]): Promise<void> {
    // A jti that is not a UUID was never ours; dropped before it could become a SQL error.
    const ids = [...new Set(ack.filter((jti) => typeof jti === "string" && UUID.test(jti)))].map((jti) => jti.toLowerCase());
    if (ids.length === 0) return;
    await db
      .delete(securityEventDeliveries)
      .where(and(eq(securityEventDeliveries.receiverId, receiverId), inArray(securityEventDeliveries.eventId, ids)));
  }

  function queued(receiverId: string, limit: number) {
    return db
      .select({ event: securityEvents })
      .from(securityEventDeliveries)
      .innerJoin(securityEvents, eq(securityEvents.id, securityEventDeliveries.eventId))
      .where(eq(securityEventDeliveries.receiverId, receiverId))
      .orderBy(asc(securityEventDeliveries.createdAt), asc(securityEventDeliveries.eventId))
      .limit(limit);
  }

  async function poll(receiver: Pick<SecurityEventReceiver, "id" | "name">, options: PollOptions = {}): Promise<PollResult> {
    tokens.assertAvailable();
    const maxEvents = readMaxEvents(options.maxEvents);
    const waitMs = Math.min(Math.max(options.waitMs ?? DEFAULT_POLL_WAIT_MS, 0), MAX_POLL_WAIT_MS);
    const waits = !options.returnImmediately && maxEvents > 0;
    const deadline = performance.now() + waitMs;
    await acknowledge(receiver.id, options.ack ?? []);
    for (;;) {
      // Armed before the read: an event committed between the read and the wait still wakes it.
      const armed = waits ? signal.arm() : null;
      // One more than asked for: its presence is `moreAvailable`.
      const rows = await queued(receiver.id, Math.max(maxEvents, 1) + 1).catch((error: unknown) => {
        armed?.cancel();
        throw error;
      });
      const left = deadline - performance.now();
      if (!armed || rows.length > 0 || left <= 0 || signal.closed || options.signal?.aborted) {
        armed?.cancel();
        const sets: Record<string, string> = {};
        for (const { event } of rows.slice(0, maxEvents)) sets[event.id] = await tokens.sign(event, receiver.name);
        return { sets, moreAvailable: rows.length > maxEvents };
      }
      await armed.wait(left, options.signal);
      armed.cancel();
    }
  }

  return {
    poll: (receiver, options) => poll(receiver, options).catch(rethrowDatabaseError),
    receivers: createReceivers(config),
    close: () => signal.close(),
  };
}
