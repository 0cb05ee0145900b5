/** What the loops did, counting every request they started: stopping waits for those in flight. */
export interface ClosedLoopResult {
  requests: number;
  ok: number;
  /** Non-2xx answers by status, and "error" for requests that failed or took over a minute. */
  failures: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  perSecond: number;
}

export interface ClosedLoop {
  stop(): Promise<ClosedLoopResult>;
}

/** A request gives up after this long; far beyond anything the bench expects. */
const REQUEST_TIMEOUT_MS = 60_000;

/**
 * `concurrency` loops, each sending `nextRequest()` as soon as its previous one is answered.
 * Unlike autocannon, which drops the requests still unanswered when its window ends, `stop()`
 * waits for them and counts them: when a server stalls, the stalled requests are the p99.
 */
export function startClosedLoop(concurrency: number, nextRequest: () => { url: string; init?: RequestInit }): ClosedLoop {
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
      const percentile = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN);
      return {
        requests: sorted.length,
        ok,
        failures,
        p50Ms: percentile(0.5),
        p99Ms: percentile(0.99),
        perSecond: (sorted.length * 1000) / (performance.now() - started),
      };
    },
  };
}
