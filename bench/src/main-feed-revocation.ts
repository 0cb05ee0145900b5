// `pnpm --filter @bearer-kit/bench bench:feed-revocation [--smoke]`: section 7 of `pnpm bench`
// alone (revocation on the web app to the first 401 from apps/notes), for a machine not quiet
// enough for the whole run. Same environment, database and ports as the full run.
import { benchOptions } from "./bench-options.ts";
import { feedRevocationGoalRow, measureFeedRevocation, printFeedRevocation } from "./feed-revocation.ts";
import { formatGoalsTable } from "./goals-table.ts";
import { freshPostgresDatabase } from "./lib/bench-database.ts";

const options = benchOptions(process.argv.slice(2));
console.log(`# section 7 of pnpm bench${options.smoke ? " --smoke" : ""}: ${new Date().toISOString()}, node ${process.version}`);
const pg = await freshPostgresDatabase(options.postgresUrl, `${options.databaseName}_feed`);
if ("error" in pg) {
  console.log(`PostgreSQL unavailable (${pg.error})`);
  process.exit(1);
}
const result = await measureFeedRevocation(pg.url, { api: options.portBase + 5, notes: options.portBase + 6 }, options).catch((error: unknown) => ({
  error: error instanceof Error ? error.message : String(error),
}));
if ("error" in result) console.log(`  failed: ${result.error}`);
else printFeedRevocation(result);
console.log(`\n${formatGoalsTable([feedRevocationGoalRow(result)])}`);
process.exit("error" in result ? 1 : 0);
