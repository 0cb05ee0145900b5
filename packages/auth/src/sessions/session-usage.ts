/**
 * `last_used_at`, written off the request path: at most once a minute per session, queued and
 * written in one statement per batch every few seconds, and on `flush()` (close, or before the
 * sessions are listed). A failed write is reported to `onWarning` and dropped: usage is a hint
 * for the sessions list, never worth failing or stalling a request for.
 */
import { sql } from "drizzle-orm";
import type { AuthDB } from "../database/auth-db.ts";
import { sessions } from "../database/schema.ts";

/** `last_used_at` is written at most this often per session. */
export const TOUCH_INTERVAL_MS = 60_000;
const FLUSH_DELAY_MS = 5_000;
const BATCH = 500;

export interface SessionUsage {
  /**
   * The session's last use as far as this instance knows: `lastUsedAt` from its row, or later.
   * When a minute has passed since, records a use at `now` (queued) and returns `now`.
   */
  use(sessionId: string, lastUsedAt: Date, now: Date): Date;
  /** Writes what is queued; never rejects. */
  flush(): Promise<void>;
}

export function createSessionUsage(deps: { db: AuthDB; onWarning: (message: string, error: unknown) => void }): SessionUsage {
  /** The last use recorded here per session, written or not: rows read meanwhile are older. */
  const recent = new Map<string, Date>();
  const pending = new Map<string, Date>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let writing: Promise<void> = Promise.resolve();

  async function write(batch: [string, Date][]): Promise<void> {
    const rows = sql.join(
      batch.map(([id, at]) => sql`(${id}::uuid, ${at.toISOString()}::timestamptz)`),
      sql`, `,
    );
    // Never moves last_used_at back, whatever order instances write in.
    await deps.db.execute(sql`update ${sessions} as s set last_used_at = v.at
      from (values ${rows}) as v(id, at) where s.id = v.id and s.last_used_at < v.at`);
  }

  function flush(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    const entries = [...pending];
    pending.clear();
    const run = async (): Promise<void> => {
      for (let i = 0; i < entries.length; i += BATCH) {
        try {
          await write(entries.slice(i, i + BATCH));
        } catch (error) {
          deps.onWarning("auth: could not record session use (last_used_at)", error);
        }
      }
    };
    // One batch at a time, in order: a later flush waits for the one writing.
    writing = writing.then(run);
    return writing;
  }

  return {
    use(sessionId, lastUsedAt, now) {
      const known = recent.get(sessionId);
      const last = known !== undefined && known > lastUsedAt ? known : lastUsedAt;
      if (now.getTime() - last.getTime() < TOUCH_INTERVAL_MS) return last;
      recent.set(sessionId, now);
      pending.set(sessionId, now);
      if (recent.size > pending.size * 2 + 1000) {
        // Forget uses older than the interval: a row read now shows them, or a later one.
        const cutoff = now.getTime() - TOUCH_INTERVAL_MS;
        for (const [id, at] of recent) if (at.getTime() < cutoff && !pending.has(id)) recent.delete(id);
      }
      if (timer === undefined) {
        timer = setTimeout(() => void flush(), FLUSH_DELAY_MS);
        // A process may exit without closing: up to a few seconds of usage is then not written.
        timer.unref();
      }
      return now;
    },
    flush,
  };
}
