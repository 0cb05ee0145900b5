/**
 * Runs the conformance suite against a running deployment: one line per case, then
 * "N passed, M failed, K not run"; exit code 1 when any case failed, 2 for a bad command line
 * or a deployment whose JWKS cannot be read.
 *
 * @example
 * pnpm conformance --url http://localhost:3000
 * pnpm conformance --url http://localhost:3000 --secret "$AUTH_SECRET" --only "forgery › alg"
 */
import { type CaseNeed, describeNeed } from "./conformance-case.ts";
import { readArgs, USAGE } from "./lib/cli-args.ts";
import { PER_ADDRESS_LIMIT } from "./lib/signin-budget.ts";
import { type CaseResult, caseTitle, type ConformanceContext, createContext, runConformance } from "./run-cases.ts";

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
    context = await createContext(request.options);
  } catch (error) {
    // createContext's own checks (a bad --url, a JWKS it cannot read) are usage errors too.
    if (!(error instanceof Error)) throw error;
    console.error(`conformance: ${error.message}\n${USAGE}`);
    return 2;
  }
  const { algorithm, kid } = context.options;
  console.log(`deployment: ${algorithm}${kid ? `, signing key ${kid}` : ", shared secret (its JWKS is empty)"}`);

  const started = performance.now();
  const notRun: string[] = [];
  const missing = new Map<CaseNeed, number>();
  const results = await runConformance({
    ...context.options,
    context,
    only: request.only,
    onResult: (r) => console.log(line(r)),
    onNotRun: (c, needs) => {
      notRun.push(`not run  ${caseTitle(c)} — needs ${needs.map((need) => describeNeed(need, algorithm)).join(" and ")}`);
      for (const need of needs) missing.set(need, (missing.get(need) ?? 0) + 1);
    },
  });
  // Not failures: the run was not given what they need. Listed, so a pass count is never read as more than it is.
  for (const text of notRun) console.log(text);
  for (const [need, count] of missing) console.log(`${count} not run for want of ${describeNeed(need, algorithm)}`);
  if (results.length === 0) console.log(`no case matches --only "${request.only ?? ""}"`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  // Every failed sign-in from this machine counts against one per-address limit on the server.
  console.log(`${seconds} s; ${context.failedSignins()} failed sign-in attempts from this address (server limit ${PER_ADDRESS_LIMIT} per 15 min)`);
  const failed = results.filter((result) => !result.ok).length;
  console.log(`${results.length - failed} passed, ${failed} failed, ${notRun.length} not run`);
  return failed > 0 || results.length === 0 ? 1 : 0;
}

process.exitCode = await main();
