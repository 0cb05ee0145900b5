import type { RevocationConfig } from "./revocation-options.ts";

/**
 * What became of one delivered SET: handled (acknowledged), refused for good (reported in
 * `setErrs`, RFC 8936 §2.4.3, which also takes it off the queue), or to be delivered again.
 */
export type Handled = "ack" | "retry" | { err: string; description: string };

export interface RevocationPollerOptions {
  config: RevocationConfig;
  /** Handles one SET, delivered under `jti`; never throws. */
  handle: (set: string, jti: string) => Promise<Handled>;
  /** The verifier's clock: freshness is measured on it, so tests can pin it. */
  now: () => Date;
}

export interface RevocationPoller {
  /** When the last poll succeeded with every SET it brought handled (ms since the epoch), or `null`. */
  readonly freshAt: number | null;
  /** Stops polling: the poll in flight is aborted and no other starts. */
  close(): Promise<void>;
}

/** Backoff after a failed poll: 250 ms, doubling, at most 2 s, so a restarted feed is met quickly. */
const FIRST_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 2000;

interface PollAnswer {
  sets: Record<string, string>;
  moreAvailable: boolean;
}

/** RFC 8936 §2.4: `{ sets: { jti: SET }, moreAvailable? }`; anything else is a failed poll. */
function pollAnswer(body: unknown): PollAnswer | null {
  if (typeof body !== "object" || body === null) return null;
  const { sets, moreAvailable } = body as Record<string, unknown>;
  if (typeof sets !== "object" || sets === null || Array.isArray(sets)) return null;
  if (!Object.values(sets).every((set) => typeof set === "string")) return null;
  if (moreAvailable !== undefined && typeof moreAvailable !== "boolean") return null;
  return { sets: sets as Record<string, string>, moreAvailable: moreAvailable === true };
}

/**
 * Polls the issuer's security-event feed (RFC 8936) in a loop until closed:
 * - each poll acknowledges the SETs the previous one brought and were handled (`ack`), reports
 *   those refused for good (`setErrs`), so the feed deletes both, and long-polls
 *   (`returnImmediately: false`) for the next ones;
 * - the first poll, one after a failure and one after `moreAvailable` return at once, so the
 *   verifier is current as soon as it can be;
 * - a failure (network, timeout, non-200, malformed answer, or a SET it must see again) backs
 *   off and retries; the SETs handled stay in the ack list until a poll carries it through.
 *
 * @example const poller = startRevocationPoller({ config, handle, now: () => new Date() }); await poller.close();
 */
export function startRevocationPoller(options: RevocationPollerOptions): RevocationPoller {
  const { config, handle, now } = options;
  let freshAt: number | null = null;
  let closed = false;
  let inFlight: AbortController | null = null;
  let wake: (() => void) | null = null;
  let acks = new Set<string>();
  let setErrs = new Map<string, { err: string; description: string }>();
  let returnImmediately = true;
  let failures = 0;

  const warnFailure = (reason: string) => {
    failures += 1;
    // Once per outage, not once per retry: a feed that is down for an hour would flood the log.
    if (failures === 1) config.onWarning(`the revocation feed failed (${reason}); retrying with backoff`);
  };

  /** One poll; resolves true when it succeeded and every SET it brought was handled. */
  async function poll(): Promise<boolean> {
    const sent = [...acks];
    const sentErrs = new Map(setErrs);
    const controller = new AbortController();
    inFlight = controller;
    // The feed holds an idle poll 25 s; one that hangs past the staleness limit is given up.
    const timer = setTimeout(() => controller.abort(), config.maxStaleness * 1000);
    let answer: PollAnswer | null;
    try {
      const response = await config.fetch(config.url, {
        method: "POST",
        headers: { Authorization: `Bearer ${config.credential}`, "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ ack: sent, ...(sentErrs.size > 0 ? { setErrs: Object.fromEntries(sentErrs) } : {}), returnImmediately }),
        signal: controller.signal,
      });
      if (response.status !== 200) {
        await response.body?.cancel();
        const hint = response.status === 401 ? ": the feed does not know this receiver credential" : "";
        warnFailure(`HTTP ${response.status}${hint}`);
        return false;
      }
      answer = pollAnswer(await response.json());
    } catch (error) {
      if (!closed) warnFailure(error instanceof Error ? error.message : String(error));
      return false;
    } finally {
      clearTimeout(timer);
      inFlight = null;
    }
    if (!answer) {
      warnFailure("an answer that is not { sets, moreAvailable }");
      return false;
    }
    // The feed applied the acks before it answered.
    for (const jti of sent) acks.delete(jti);
    for (const jti of sentErrs.keys()) setErrs.delete(jti);
    let complete = true;
    for (const [jti, set] of Object.entries(answer.sets)) {
      const handled = await handle(set, jti);
      if (handled === "ack") acks.add(jti);
      else if (handled === "retry") complete = false;
      else setErrs.set(jti, handled);
    }
    if (!complete) {
      warnFailure("a SET could not be checked yet");
      return false;
    }
    if (failures > 0) config.onWarning("the revocation feed answers again");
    failures = 0;
    freshAt = now().getTime();
    // More waiting: ask again at once. Acks ride on the next long poll, which applies them first.
    returnImmediately = answer.moreAvailable;
    return true;
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });
  }

  const loop = (async () => {
    while (!closed) {
      if (await poll()) continue;
      returnImmediately = true;
      const backoff = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** Math.min(failures - 1, 10));
      // Jitter, so receivers restarted together do not poll in lockstep.
      if (!closed) await sleep(backoff * (0.5 + Math.random() / 2));
    }
  })();

  return {
    get freshAt() {
      return freshAt;
    },
    async close() {
      closed = true;
      inFlight?.abort();
      wake?.();
      await loop;
      acks = new Set();
      setErrs = new Map();
    },
  };
}
