// pnpm bench [--smoke]: every figure of issue 9 in one run, then the goals as ratios.
// BENCH_ROUND_SECONDS sets the round length (default 4 s; --smoke: 0.5 s and one round).
import { benchOptions } from "./bench-options.ts";
import { sessionCacheSupported } from "./env.ts";
import { formatGoalsTable } from "./goals-table.ts";
import { runBench } from "./run-bench.ts";

const options = benchOptions(process.argv.slice(2));
const started = performance.now();
console.log(`# pnpm bench${options.smoke ? " --smoke" : ""}: ${new Date().toISOString()}, node ${process.version}`);
const rows = await runBench(options, sessionCacheSupported());
console.log(`\n## Goals (ratios from this one run; ${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
console.log(formatGoalsTable(rows));
// Database pools and listeners of the in-process sections may hold the loop open: the run is over.
process.exit(0);
