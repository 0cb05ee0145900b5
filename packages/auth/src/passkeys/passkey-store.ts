/**
 * The passkeys of each user as stored (`passkeys`): the credential id, its COSE public key,
 * the signature counter, transports, backup state and the name its owner gave it. Writes run
 * in the caller's transaction, after it locked the user row.
 */
import { and, desc, eq } from "drizzle-orm";
import type { AuthDB } from "../database/auth-db.ts";
import { passkeys } from "../database/schema.ts";

export type PasskeyRow = typeof passkeys.$inferSelect;

/** A passkey as its owner sees it in the list. */
export interface Passkey {
  /** The credential id, base64url. */
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  /** A synced (multi-device) passkey, rather than one bound to a single authenticator. */
  synced: boolean;
}

/** What the list shows of a row: nothing of the key itself. */
export function toPasskey(row: PasskeyRow): Passkey {
  return { id: row.id, name: row.name, createdAt: row.createdAt, lastUsedAt: row.lastUsedAt, synced: row.backupEligible };
}

export interface PasskeyStore {
  /** The user's passkeys, newest first. */
  list(db: AuthDB, userId: string): Promise<PasskeyRow[]>;
  /** The passkey with this credential id, whoever owns it. */
  find(db: AuthDB, id: string): Promise<PasskeyRow | null>;
  /** Stores a new passkey; `null` when the credential id is already registered (to anyone). */
  insert(tx: AuthDB, row: PasskeyRow): Promise<PasskeyRow | null>;
  rename(db: AuthDB, owner: { userId: string; id: string }, name: string): Promise<PasskeyRow | null>;
  remove(tx: AuthDB, owner: { userId: string; id: string }): Promise<PasskeyRow | null>;
  /** Records a verified use: the counter the authenticator reported and its backup state now. */
  used(tx: AuthDB, id: string, use: { counter: number; backedUp: boolean; at: Date }): Promise<void>;
}

export function createPasskeyStore(): PasskeyStore {
  const owned = ({ userId, id }: { userId: string; id: string }) => and(eq(passkeys.userId, userId), eq(passkeys.id, id));
  return {
    list: (db, userId) => db.select().from(passkeys).where(eq(passkeys.userId, userId)).orderBy(desc(passkeys.createdAt), desc(passkeys.id)),

    async find(db, id) {
      const [row] = await db.select().from(passkeys).where(eq(passkeys.id, id));
      return row ?? null;
    },

    async insert(tx, row) {
      // The primary key decides: a credential id registered twice (to one user or two) is refused.
      const [stored] = await tx.insert(passkeys).values(row).onConflictDoNothing({ target: passkeys.id }).returning();
      return stored ?? null;
    },

    async rename(db, owner, name) {
      const [row] = await db.update(passkeys).set({ name }).where(owned(owner)).returning();
      return row ?? null;
    },

    async remove(tx, owner) {
      const [row] = await tx.delete(passkeys).where(owned(owner)).returning();
      return row ?? null;
    },

    async used(tx, id, { counter, backedUp, at }) {
      await tx.update(passkeys).set({ counter, backedUp, lastUsedAt: at }).where(eq(passkeys.id, id));
    },
  };
}
