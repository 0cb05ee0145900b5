/**
 * The services allowed to poll the Security Event Token feed, each with a credential of its own.
 *
 * A credential is `ser_` and 256 random bits (base64url), shown once by `add` and stored as its
 * SHA-256 only. A fast unkeyed hash is enough here, as for refresh tokens: nobody can guess 256
 * random bits, so a stolen table yields no working credential, and a lookup by hash needs no
 * constant-time compare (the index finds the hash of what was sent, never a near miss of ours).
 * Credentials set by the operator (`AUTH_SECURITY_EVENT_RECEIVERS`, `upsert`) must be at least 32
 * characters; whoever picks them is responsible for their randomness.
 *
 * A receiver hears the events queued after it was added (migration 0008's trigger queues each
 * event for the receivers present then); removing it drops its queue.
 */
import { count, eq } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import type { AuthConfig } from "../config/options.ts";
import { isUniqueViolation, rethrowDatabaseError } from "../database/db-errors.ts";
import { securityEventDeliveries, securityEventReceivers } from "../database/schema.ts";
import { AuthError } from "../errors.ts";
import { randomToken, sha256 } from "../lib/crypto.ts";

/** What a receiver's name may be: it is the SETs' `aud`, and `AUTH_SECURITY_EVENT_RECEIVERS` splits on `=` and `,`. */
export const RECEIVER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const RECEIVER_CREDENTIAL_PREFIX = "ser_";
/** Shortest credential accepted from an operator; generated ones are 47 characters. */
export const MIN_RECEIVER_CREDENTIAL_LENGTH = 32;
/** RFC 6750 b64token: what an `Authorization: Bearer` header can carry. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
/** Longer than any credential is hashed: refused before any work. */
const MAX_RECEIVER_CREDENTIAL_LENGTH = 512;

export interface SecurityEventReceiver {
  id: string;
  /** The `aud` of the SETs it receives. */
  name: string;
  createdAt: Date;
}

export interface SecurityEventReceivers {
  /**
   * Registers a receiver; the credential is returned once and never stored. Throws `INVALID_INPUT`
   * for a name outside `[A-Za-z0-9._-]` (1 to 64, starting with a letter or digit) or one taken.
   *
   * @example const { credential } = await auth.securityEventFeed.receivers.add("notes"); // "ser_..."
   */
  add(name: string): Promise<{ receiver: SecurityEventReceiver; credential: string }>;
  /** Creates the receiver, or replaces its credential keeping its queue (`AUTH_SECURITY_EVENT_RECEIVERS`). */
  upsert(name: string, credential: string): Promise<SecurityEventReceiver>;
  /** Removes it and its queue; its credential stops working at once. False when there was none. */
  remove(name: string): Promise<boolean>;
  /** Every receiver, by name, with how many events wait for its acknowledgement. */
  list(): Promise<(SecurityEventReceiver & { pending: number })[]>;
  /** The receiver holding this credential, or `null`. */
  authenticate(credential: string | null | undefined): Promise<SecurityEventReceiver | null>;
}

function assertName(name: string): void {
  if (typeof name !== "string" || !RECEIVER_NAME.test(name)) {
    throw new AuthError("INVALID_INPUT", "A receiver name is 1 to 64 letters, digits, '.', '_' or '-'.", {
      fieldErrors: { name: ["Use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit."] },
    });
  }
}

const taken = (name: string) =>
  new AuthError("INVALID_INPUT", `A receiver named ${name} already exists.`, { fieldErrors: { name: ["This name is taken."] } });

/**
 * @example
 * const receivers = createReceivers(config);
 * const receiver = await receivers.authenticate(bearerToken(request));
 */
export function createReceivers(config: Pick<AuthConfig, "db" | "now">): SecurityEventReceivers {
  const { db } = config;
  const columns = { id: securityEventReceivers.id, name: securityEventReceivers.name, createdAt: securityEventReceivers.createdAt };

  return {
    async add(name) {
      assertName(name);
      const credential = RECEIVER_CREDENTIAL_PREFIX + randomToken();
      try {
        const [receiver] = await db
          .insert(securityEventReceivers)
          .values({ id: randomUUID(), name, credentialHash: sha256(credential), createdAt: config.now() })
          .returning(columns);
        if (!receiver) throw new Error("receiver insert returned no row");
        return { receiver, credential };
      } catch (error) {
        if (isUniqueViolation(error)) throw taken(name);
        return rethrowDatabaseError(error);
      }
    },

    async upsert(name, credential) {
      assertName(name);
      if (typeof credential !== "string" || credential.length < MIN_RECEIVER_CREDENTIAL_LENGTH || credential.length > MAX_RECEIVER_CREDENTIAL_LENGTH || !B64TOKEN.test(credential)) {
        throw new AuthError("INVALID_INPUT", `A receiver credential is ${MIN_RECEIVER_CREDENTIAL_LENGTH} to ${MAX_RECEIVER_CREDENTIAL_LENGTH} characters of a bearer token (letters, digits, -._~+/).`, {
          fieldErrors: { credential: [`Use at least ${MIN_RECEIVER_CREDENTIAL_LENGTH} random characters.`] },
        });
      }
      const credentialHash = sha256(credential);
      try {
        const [receiver] = await db
          .insert(securityEventReceivers)
          .values({ id: randomUUID(), name, credentialHash, createdAt: config.now() })
          .onConflictDoUpdate({ target: securityEventReceivers.name, set: { credentialHash } })
          .returning(columns);
        if (!receiver) throw new Error("receiver upsert returned no row");
        return receiver;
      } catch (error) {
        // The name was free or ours: what clashed is the credential, held by another receiver.
        if (isUniqueViolation(error)) {
          throw new AuthError("INVALID_INPUT", `Another receiver already has the credential given for ${name}.`, {
            fieldErrors: { credential: ["Each receiver needs a credential of its own."] },
          });
        }
        return rethrowDatabaseError(error);
      }
    },

    async remove(name) {
      if (typeof name !== "string" || !RECEIVER_NAME.test(name)) return false;
      const removed = await db
        .delete(securityEventReceivers)
        .where(eq(securityEventReceivers.name, name))
        .returning({ id: securityEventReceivers.id })
        .catch(rethrowDatabaseError);
      return removed.length > 0;
    },

    async list() {
      const rows = await db
        .select({ ...columns, pending: count(securityEventDeliveries.eventId) })
        .from(securityEventReceivers)
        .leftJoin(securityEventDeliveries, eq(securityEventDeliveries.receiverId, securityEventReceivers.id))
        .groupBy(securityEventReceivers.id)
        .orderBy(securityEventReceivers.name)
        .catch(rethrowDatabaseError);
      return rows.map((row) => ({ ...row, pending: Number(row.pending) }));
    },

    async authenticate(credential) {
      if (typeof credential !== "string" || credential.length < MIN_RECEIVER_CREDENTIAL_LENGTH || credential.length > MAX_RECEIVER_CREDENTIAL_LENGTH) {
        return null;
      }
      const [receiver] = await db
        .select(columns)
        .from(securityEventReceivers)
        .where(eq(securityEventReceivers.credentialHash, sha256(credential)))
        .limit(1)
        .catch(rethrowDatabaseError);
      return receiver ?? null;
    },
  };
}
