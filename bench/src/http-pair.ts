import { describeFailures, load, type LoadResult } from "./lib/load.ts";

/** One side of the pair: the URL and the headers every request carries. */
export interface Target {
  url: string;
  headers?: Record<string, string>;
}

export interface PairOptions {
  rounds: number;
  roundSeconds: number;
  warmupSeconds: number;
  connections: number;
}

export interface PairResult {
  publicRps: number;
  protectedRps: number;
  /** Protected requests over public ones, summed over the rounds. */
  ratio: number;
  /** Non-2xx responses and errors; expected none (the demo's tokenless "public" call excepted). */
  failures: string;
}

const merge = (results: LoadResult[]) =>
  results.reduce<Record<string, number>>((all, { failures }) => {
    for (const [key, count] of Object.entries(failures)) all[key] = (all[key] ?? 0) + count;
    return all;
  }, {});

/**
 * The public query against the protected one at the same concurrency, in alternating rounds
 * (public, protected, public, ...), so a drift in the machine's load hits both sides alike.
 */
export async function measurePair(publicSide: Target, protectedSide: Target, options: PairOptions): Promise<PairResult> {
  const run = (target: Target, seconds: number) =>
    load({ url: target.url, headers: target.headers, connections: options.connections, seconds });
  if (options.warmupSeconds > 0) {
    await run(publicSide, options.warmupSeconds);
    await run(protectedSide, options.warmupSeconds);
  }
  const publicRounds: LoadResult[] = [];
  const protectedRounds: LoadResult[] = [];
  for (let round = 0; round < options.rounds; round++) {
    publicRounds.push(await run(publicSide, options.roundSeconds));
    protectedRounds.push(await run(protectedSide, options.roundSeconds));
  }
  const total = (results: LoadResult[]) => results.reduce((sum, result) => sum + result.requests, 0);
  const seconds = options.rounds * options.roundSeconds;
  return {
    publicRps: total(publicRounds) / seconds,
    protectedRps: total(protectedRounds) / seconds,
    ratio: total(protectedRounds) / Math.max(1, total(publicRounds)),
    failures: `public ${describeFailures(merge(publicRounds))}; protected ${describeFailures(merge(protectedRounds))}`,
  };
}
