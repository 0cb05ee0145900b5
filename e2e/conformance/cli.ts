/**
 * Runs the conformance suite against a running deployment: one line per case, then
 * "N passed, M failed"; exit code 1 when any case failed, 2 for a bad command line.
 *
 * @example
 * pnpm conformance --url http://localhost:3000 --secret "$AUTH_SECRET"
 * pnpm conformance --url http://localhost:3000 --secret "$AUTH_SECRET" --only "forgery › alg"
 */
import { readArgs, USAGE } from "./lib/cli-args.ts";
import { PER_ADDRESS_LIMIT } from "./lib/signin-budget.ts";
import { type CaseResult, type ConformanceContext, createContext, runConformance } from "./run-cases.ts";

function line(result: CaseResult): string {
  const title = `${result.group} › ${result.name}`;
  if (!result.ok) return `FAIL  ${title} — ${result.message ?? "failed"}`;
  return result.notes.length > 0 ? `PASS  ${title} — ${result.notes.join("; ")}` : `PASS  ${title}`;
}

async function main(): Promise<number> {
  let request;
  let context: ConformanceContext;
  try {
    request = readArgs(process.argv.slice(2));
    if (request.kind === "help") {
      console.log(USAGE);
      return 0;
    }
    context = createContext(request.options);
  } catch (error) {
    // createContext's own checks (a bad --url) are usage errors too.
    if (!(error instanceof Error)) throw error;
    console.error(`conformance: ${error.message}\n${USAGE}`);
    return 2;
  }

  const started = performance.now();
  const notRun: string[] = [];
  const results = await runConformance({
    ...context.options,
    context,
    only: request.only,
    onResult: (r) => console.log(line(r)),
    onNotRun: (c, needs) => notRun.push(`${c.group} › ${c.name} (needs ${needs.join(", ")})`),
  });
  if (notRun.length > 0) {
    // Not failures: the deployment was not set up for them. --smtp-port: the suite runs an SMTP
    // server there, which the deployment's SMTP_URL must name; --reset-ttl: its AUTH_RESET_TTL, at most 60.
    console.log(`not run, ${notRun.length}: ${notRun.join("; ")}`);
  }
  if (results.length === 0) console.log(`no case matches --only "${request.only ?? ""}"`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  // Every failed sign-in from this machine counts against one per-address limit on the server.
  console.log(`${seconds} s; ${context.failedSignins()} failed sign-in attempts from this address (server limit ${PER_ADDRESS_LIMIT} per 15 min)`);
  const failed = results.filter((result) => !result.ok).length;
  console.log(`${results.length - failed} passed, ${failed} failed`);
  return failed > 0 || results.length === 0 ? 1 : 0;
}

process.exitCode = await main();
