/**
 * The account's one security state: `users.credential_version`.
 *
 * Every credential change (password change or reset, a completed email change, sign out
 * everywhere, account deletion) raises it in the transaction that makes the change, after
 * locking the user row. Sessions and mailed links record the version they were issued under
 * and are refused once it moved on. Flows that check a credential first and act later (sign-in,
 * re-authentication) read the version with the credential and act only if it is unchanged,
 * under the same row lock, so a change cannot commit between their check and their action.
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import type { AuthDB } from "./auth-db.ts";
import { sessions, users } from "./schema.ts";

/**
 * Locks the user row for the rest of the transaction and returns its credential version, or
 * `null` when the user is gone. Every credential change takes this lock (its UPDATE does), so
 * whatever the caller does next in the transaction is ordered before or after the change.
 */
export async function lockCredentialVersion(tx: AuthDB, userId: string): Promise<number | null> {
  const [row] = await tx.select({ version: users.credentialVersion }).from(users).where(eq(users.id, userId)).for("update");
  return row?.version ?? null;
}

/**
 * Raises the user's credential version: every session and link issued before is dead from
 * commit on. `keep` names the session that made the change (a password change keeps its own
 * device signed in); it moves to the new version if it is still live. Returns the new version.
 */
export async function raiseCredentialVersion(tx: AuthDB, userId: string, { keep }: { keep?: string } = {}): Promise<number | null> {
  const [row] = await tx
    .update(users)
    .set({ credentialVersion: sql`${users.credentialVersion} + 1` })
    .where(eq(users.id, userId))
    .returning({ version: users.credentialVersion });
  if (!row) return null;
  if (keep) {
    await tx
      .update(sessions)
      .set({ credentialVersion: row.version })
      // Only from the version just left: a session already stale (ended by an earlier change) stays dead.
      .where(and(eq(sessions.id, keep), eq(sessions.userId, userId), isNull(sessions.revokedAt), eq(sessions.credentialVersion, row.version - 1)));
  }
  return row.version;
}

/**
 * Raises the user's credential version for a change that voids what was mailed and half-done
 * (links, pending sign-in steps) but not who is signed in: every live session moves to the new
 * version in the same transaction. Second-factor changes use it; they end no session.
 */
export async function raiseKeepingSessions(tx: AuthDB, userId: string): Promise<void> {
  const version = await raiseCredentialVersion(tx, userId);
  if (version === null) return;
  await tx
    .update(sessions)
    .set({ credentialVersion: version })
    // Only from the version just left, as for `keep`: a session already stale stays dead.
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), eq(sessions.credentialVersion, version - 1)));
}
