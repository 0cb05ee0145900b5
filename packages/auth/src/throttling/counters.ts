import { inArray, sql } from "drizzle-orm";
import type { AuthDB } from "../database/auth-db.ts";
import { throttles } from "../database/schema.ts";

/** One fixed-window counter and the most it may hold. */
export interface CounterSpec {
  key: string;
  limit: number;
  /** Window length in seconds. */
  window: number;
}

/** What a reservation found: room on every counter, a counter full of failures, or one full of attempts in flight. */
export type Reservation = { kind: "admitted" } | { kind: "blocked"; retryAfter: number } | { kind: "busy" };

/** Byte order, the order `settle` locks in too (`collate "C"`, whatever the database's collation). */
const byKey = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const secondsUntil = (end: Date, now: Date): number => Math.max(1, Math.ceil((end.getTime() - now.getTime()) / 1000));

/** Opens (or re-opens, when ended) each counter's window, and locks the rows for the transaction. */
function openWindows(db: AuthDB, specs: readonly CounterSpec[], now: Date) {
  const ended = sql`${throttles.windowEndsAt} <= ${now.toISOString()}::timestamptz`;
  // Sorted, so two transactions locking overlapping sets always lock in the same order: no deadlock.
  const rows = [...specs]
    .sort((a, b) => byKey(a.key, b.key))
    .map((spec) => ({ key: spec.key, failures: 0, pending: 0, windowEndsAt: new Date(now.getTime() + spec.window * 1000) }));
  return db
    .insert(throttles)
    .values(rows)
    .onConflictDoUpdate({
      target: throttles.key,
      set: {
        failures: sql`case when ${ended} then 0 else ${throttles.failures} end`,
        pending: sql`case when ${ended} then 0 else ${throttles.pending} end`,
        windowEndsAt: sql`case when ${ended} then excluded.window_ends_at else ${throttles.windowEndsAt} end`,
      },
    })
    .returning();
}

/**
 * Reserves one attempt on every counter, or on none. A counter whose failures reached its
 * limit blocks; one whose failures plus attempts in flight reached it is busy: those attempts
 * may still succeed and give their place back, so the caller waits rather than refuses.
 * Counting in flight is what stops concurrent guesses from all slipping past the limit.
 */
export async function reserve(db: AuthDB, specs: readonly CounterSpec[], now: Date): Promise<Reservation> {
  return db.transaction(async (tx) => {
    const rows = await openWindows(tx, specs, now);
    const limits = new Map(specs.map((spec) => [spec.key, spec.limit]));
    const blocked = rows.filter((row) => row.failures >= (limits.get(row.key) ?? 0));
    if (blocked.length > 0) return { kind: "blocked", retryAfter: Math.max(...blocked.map((row) => secondsUntil(row.windowEndsAt, now))) };
    if (rows.some((row) => row.failures + row.pending >= (limits.get(row.key) ?? 0))) return { kind: "busy" };
    await tx
      .update(throttles)
      .set({ pending: sql`${throttles.pending} + 1` })
      .where(
        inArray(
          throttles.key,
          specs.map((spec) => spec.key),
        ),
      );
    return { kind: "admitted" };
  });
}

/**
 * Settles a reservation: its place in flight is given back on every key, `failed` keys count
 * one failure more, and `reset` keys forget their failures.
 */
export async function settle(db: AuthDB, keys: { held: readonly string[]; failed?: readonly string[]; reset?: readonly string[] }): Promise<void> {
  const failed = keys.failed ?? [];
  const reset = keys.reset ?? [];
  const failures = sql`case
    when ${failed.length > 0 ? inArray(throttles.key, failed) : sql`false`} then ${throttles.failures} + 1
    when ${reset.length > 0 ? inArray(throttles.key, reset) : sql`false`} then 0
    else ${throttles.failures} end`;
  await db.transaction(async (tx) => {
    // Lock in key order first, as `reserve` does: an UPDATE alone locks in scan order, and two
    // transactions taking the same rows in different orders deadlock.
    await tx.select({ key: throttles.key }).from(throttles).where(inArray(throttles.key, [...keys.held])).orderBy(sql`${throttles.key} collate "C"`).for("update");
    await tx
      .update(throttles)
      .set({ pending: sql`greatest(${throttles.pending} - 1, 0)`, failures })
      .where(inArray(throttles.key, [...keys.held]));
  });
}

/**
 * Counts one more event on a single counter, atomically, and says whether it is over the limit.
 * For costs that are paid whatever the outcome (a registration hashes a password either way).
 */
export async function hit(db: AuthDB, spec: CounterSpec, now: Date): Promise<{ over: false } | { over: true; retryAfter: number }> {
  const ended = sql`${throttles.windowEndsAt} <= ${now.toISOString()}::timestamptz`;
  const [row] = await db
    .insert(throttles)
    .values({ key: spec.key, failures: 1, pending: 0, windowEndsAt: new Date(now.getTime() + spec.window * 1000) })
    .onConflictDoUpdate({
      target: throttles.key,
      set: {
        failures: sql`case when ${ended} then 1 else ${throttles.failures} + 1 end`,
        windowEndsAt: sql`case when ${ended} then excluded.window_ends_at else ${throttles.windowEndsAt} end`,
      },
    })
    .returning();
  if (!row) throw new Error("throttle upsert returned no row");
  return row.failures > spec.limit ? { over: true, retryAfter: secondsUntil(row.windowEndsAt, now) } : { over: false };
}
