import autocannon from "autocannon";

export interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
  /** Seconds before a request counts as a timeout. Default 10. */
  timeout?: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  requests: number;
  ok: number;
  /** Responses that were not 2xx, by status, plus connection errors and timeouts as "error". */
  failures: Record<string, number>;
  latencyMs: { p50: number; p99: number };
}

/** Load from autocannon, in this process: the server under test runs in another. */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    timeout: options.timeout ?? 10,
    headers: options.headers,
  });
  const failures: Record<string, number> = {};
  for (const [status, { count = 0 }] of Object.entries(result.statusCodeStats ?? {})) {
    if (!status.startsWith("2") && count > 0) failures[status] = count;
  }
  if (result.errors > 0) failures.error = result.errors;
  return {
    requestsPerSecond: result.requests.total / result.duration,
    requests: result.requests.total,
    ok: result["2xx"],
    failures,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99 },
  };
}

/** "none", or "401×12, error×3". */
export function describeFailures(failures: Record<string, number>): string {
  const entries = Object.entries(failures);
  return entries.length === 0 ? "none" : entries.map(([status, count]) => `${status}×${count}`).join(", ");
}
