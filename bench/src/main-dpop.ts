// `pnpm --filter @bearer-kit/bench bench:dpop [--smoke]`: section 8 of `pnpm bench` alone (a
// DPoP-bound protected call against a bearer one), for a machine not quiet enough for the whole
// run. Same environment, database server and ports as the full run.
import { benchOptions } from "./bench-options.ts";
import { dpopGoalRow, measureDPoPPair, printDPoPPair } from "./dpop-pair.ts";
import { formatGoalsTable } from "./goals-table.ts";
import { freshPostgresDatabase } from "./lib/bench-database.ts";

const options = benchOptions(process.argv.slice(2));
console.log(`# section 8 of pnpm bench${options.smoke ? " --smoke" : ""}: ${new Date().toISOString()}, node ${process.version}`);
const pg = await freshPostgresDatabase(options.postgresUrl, `${options.databaseName}_dpop`);
if ("error" in pg) {
  console.log(`PostgreSQL unavailable (${pg.error})`);
  process.exit(1);
}
const result = await measureDPoPPair(pg.url, options.portBase + 7, options).catch((error: unknown) => ({
  error: error instanceof Error ? error.message : String(error),
}));
if ("error" in result) console.log(`  failed: ${result.error}`);
else printDPoPPair(result);
console.log(`\n${formatGoalsTable([dpopGoalRow(result)])}`);
process.exit("error" in result ? 1 : 0);
