import { loadBenchEnv } from "./env.ts";

/** Everything a run is sized by; `--smoke` shrinks it to check the harness end to end. */
export interface BenchOptions {
  smoke: boolean;
  roundSeconds: number;
  /** Alternating public/protected rounds per HTTP pair. */
  rounds: number;
  /** Seconds of load before the measured rounds, so the JIT and connection pools are warm. */
  warmupSeconds: number;
  /** Concurrent sign-ins in the flood, and the accounts they spread over. */
  floodSignins: number;
  floodAccounts: number;
  revocationTrials: number;
  postgresUrl: string;
  databaseName: string;
  portBase: number;
}

export function benchOptions(argv: readonly string[]): BenchOptions {
  const env = loadBenchEnv();
  const smoke = argv.includes("--smoke");
  return {
    smoke,
    roundSeconds: env.BENCH_ROUND_SECONDS ?? (smoke ? 0.5 : 4),
    rounds: smoke ? 1 : 3,
    warmupSeconds: smoke ? 0 : 1,
    floodSignins: smoke ? 20 : 200,
    floodAccounts: smoke ? 4 : 40,
    revocationTrials: smoke ? 3 : 20,
    postgresUrl: env.BENCH_POSTGRES_URL,
    // A smoke run (the test) gets its own database and ports, so it can run beside a full one.
    databaseName: smoke ? "bearer_kit_bench_smoke" : "bearer_kit_bench",
    portBase: env.BENCH_PORT + (smoke ? 50 : 0),
  };
}
