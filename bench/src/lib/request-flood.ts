/** What a flood did, counting every request it started: stopping waits for those in flight. */
export interface FloodResult {
  requests: number;
  ok: number;
  /** Non-2xx answers by status, and "error" for requests that failed or took over a minute. */
  failures: Record<string, number>;
  p99Ms: number;
  perSecond: number;
}

export interface Flood {
  stop(): Promise<FloodResult>;
}

/** A request gives up after this long; far beyond any sign-in the bench expects. */
const REQUEST_TIMEOUT_MS = 60_000;

/**
 * `concurrency` loops, each sending `nextRequest()` as soon as its previous one is answered.
 * Unlike a fixed-duration load test, `stop()` lets the requests in flight finish and counts
 * them, so a flood whose every request outlasts the window still reports what it did.
 */
export function startFlood(concurrency: number, nextRequest: () => { url: string; init: RequestInit }): Flood {
  const started = performance.now();
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  let running = true;
  let ok = 0;
  const worker = async () => {
    while (running) {
      const { url, init } = nextRequest();
      const sent = performance.now();
      try {
        const response = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
        await response.arrayBuffer();
        if (response.ok) ok++;
        else failures[response.status] = (failures[response.status] ?? 0) + 1;
      } catch {
        failures.error = (failures.error ?? 0) + 1;
      }
      latencies.push(performance.now() - sent);
    }
  };
  const workers = Array.from({ length: concurrency }, worker);
  return {
    async stop() {
      running = false;
      await Promise.all(workers);
      const sorted = latencies.sort((a, b) => a - b);
      return {
        requests: sorted.length,
        ok,
        failures,
        p99Ms: Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0),
        perSecond: (sorted.length * 1000) / (performance.now() - started),
      };
    },
  };
}
