// Section 8: what DPoP costs a protected call. The same `auth.me` as a bearer token and as a
// DPoP-bound token with a fresh proof, in alternating rounds on one API process (node:http,
// PostgreSQL, the default mode), through one client loop, so only the server's extra work
// differs: the proof's signature, its checks, and the replay row it inserts.
//
// Throughput is measured at saturation: 64 connections. A DPoP call waits for its replay row's
// round trip to PostgreSQL, so at 16 connections the server sits partly idle between batches and
// the figure is latency, not capacity (a bearer call's throughput is the same at 16 and 64). The
// 16-connection ratio is printed too, for information.
import { createHash, randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import type { BenchOptions } from "./bench-options.ts";
import { type GoalRow, ratio } from "./goals-table.ts";
import { BENCH_PASSWORD, bearer, benchEmail, ENDPOINT, forwardedFor, register } from "./lib/api-client.ts";
import { startApiServer } from "./lib/api-server-process.ts";
import { type ClosedLoopResult, startClosedLoop } from "./lib/closed-loop.ts";
import { describeFailures } from "./lib/load.ts";

/** The goal: a DPoP-bound call's throughput at least this share of a bearer call's. */
const GOAL = 0.6;
/** Enough for both kinds of call to saturate the server (see the top of this file). */
const CONNECTIONS = 64;
/** The connections of the other sections, for the informational figure. */
const FEW_CONNECTIONS = 16;

export interface DPoPPairResult {
  bearerRps: number;
  dpopRps: number;
  /** DPoP requests over bearer ones, summed over the rounds. */
  ratio: number;
  /** The same ratio at 16 connections (one round each), where DPoP is latency-bound. */
  fewConnectionsRatio: number;
  failures: string;
}

type Prover = (url: string, method: string, accessToken?: string) => Promise<string>;

async function createProver(): Promise<Prover> {
  const { publicKey, privateKey } = await generateKeyPair("ES256");
  const jwk = await exportJWK(publicKey);
  return (url, method, accessToken) =>
    new SignJWT({
      jti: randomUUID(),
      htm: method,
      htu: url,
      iat: Math.floor(Date.now() / 1000),
      ...(accessToken && { ath: createHash("sha256").update(accessToken).digest("base64url") }),
    })
      .setProtectedHeader({ alg: "ES256", typ: "dpop+jwt", jwk })
      .sign(privateKey);
}

/** A session signed in with a proof: its access token is bound to the prover's key. */
async function boundSignin(at: { origin: string; appOrigin: string }, email: string, prove: Prover): Promise<string> {
  const { origin, appOrigin } = at;
  const url = `${appOrigin}${ENDPOINT}/auth.signin`;
  const response = await fetch(`${origin}${ENDPOINT}/auth.signin`, {
    method: "POST",
    headers: { "content-type": "application/json", dpop: await prove(url, "POST"), ...forwardedFor("10.8.0.2") },
    body: JSON.stringify({ email, password: BENCH_PASSWORD }),
  });
  const body = (await response.json()) as { result?: { data: { accessToken: string; tokenType: string } } };
  if (!response.ok || body.result?.data.tokenType !== "DPoP") throw new Error(`DPoP sign-in: ${response.status} ${JSON.stringify(body)}`);
  return body.result.data.accessToken;
}

const mergeFailures = (results: ClosedLoopResult[]) =>
  results.reduce<Record<string, number>>((all, { failures }) => {
    for (const [key, count] of Object.entries(failures)) all[key] = (all[key] ?? 0) + count;
    return all;
  }, {});

async function round(seconds: number, nextRequest: () => { url: string; init?: RequestInit }, connections = CONNECTIONS): Promise<ClosedLoopResult> {
  const loop = startClosedLoop(connections, nextRequest);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  return loop.stop();
}

/**
 * Bearer and DPoP rounds, alternating after a warm-up of each. Proofs are signed before each
 * DPoP round (more than the last bearer round served), so the client's signing never competes
 * with the server for the two cores while it is measured.
 */
export async function measureDPoPPair(databaseUrl: string, port: number, options: BenchOptions): Promise<DPoPPairResult> {
  const server = await startApiServer({ port, database: { url: databaseUrl } });
  // The API compares `htu` with its APP_URL (default http://localhost:PORT), not the address dialled.
  const appOrigin = `http://localhost:${port}`;
  try {
    const email = benchEmail(0, `dpop-${Date.now()}`);
    const { accessToken: bearerToken } = await register(server.origin, email, "10.8.0.1");
    const prove = await createProver();
    const boundToken = await boundSignin({ origin: server.origin, appOrigin }, email, prove);
    const meUrl = `${server.origin}${ENDPOINT}/auth.me`;
    const htu = `${appOrigin}${ENDPOINT}/auth.me`;

    const bearerRound = (seconds: number, connections?: number) =>
      round(seconds, () => ({ url: meUrl, init: { headers: bearer(bearerToken) } }), connections);
    async function dpopRound(seconds: number, expected: number, connections?: number): Promise<ClosedLoopResult> {
      const proofs = await Promise.all(Array.from({ length: Math.ceil(expected * 1.5) + 500 }, () => prove(htu, "GET", boundToken)));
      // A request past the pool goes without a proof and is counted as a 401 failure.
      const next = () => ({ url: meUrl, init: { headers: { authorization: `DPoP ${boundToken}`, ...(proofs.length > 0 && { dpop: proofs.pop() ?? "" }) } } });
      return round(seconds, next, connections);
    }

    let last = await bearerRound(Math.max(options.warmupSeconds, 0.5));
    await dpopRound(Math.max(options.warmupSeconds, 0.5), last.requests);
    const bearerRounds: ClosedLoopResult[] = [];
    const dpopRounds: ClosedLoopResult[] = [];
    for (let index = 0; index < options.rounds; index++) {
      last = await bearerRound(options.roundSeconds);
      bearerRounds.push(last);
      dpopRounds.push(await dpopRound(options.roundSeconds, last.requests));
    }
    const fewBearer = await bearerRound(options.roundSeconds, FEW_CONNECTIONS);
    const fewDPoP = await dpopRound(options.roundSeconds, fewBearer.requests, FEW_CONNECTIONS);
    const ok = (results: ClosedLoopResult[]) => results.reduce((sum, result) => sum + result.ok, 0);
    const seconds = options.rounds * options.roundSeconds;
    return {
      bearerRps: ok(bearerRounds) / seconds,
      dpopRps: ok(dpopRounds) / seconds,
      ratio: ok(dpopRounds) / Math.max(1, ok(bearerRounds)),
      fewConnectionsRatio: fewDPoP.ok / Math.max(1, fewBearer.ok),
      failures: `bearer ${describeFailures(mergeFailures(bearerRounds))}; DPoP ${describeFailures(mergeFailures(dpopRounds))}`,
    };
  } finally {
    await server.stop();
  }
}

export function printDPoPPair(result: DPoPPairResult): void {
  console.log(`  ${CONNECTIONS} connections: bearer ${result.bearerRps.toFixed(0)} req/s   DPoP ${result.dpopRps.toFixed(0)} req/s   DPoP/bearer ${ratio(result.ratio)}   (${result.failures})`);
  console.log(`  for information, ${FEW_CONNECTIONS} connections (DPoP latency-bound): DPoP/bearer ${ratio(result.fewConnectionsRatio)}`);
}

export function dpopGoalRow(result: DPoPPairResult | { error: string }): GoalRow {
  const what = `DPoP-bound protected call / bearer (auth.me, PostgreSQL, ${CONNECTIONS} connections)`;
  if ("error" in result) return { what, goal: `≥ ${GOAL.toFixed(2)}×`, measured: "failed", met: null };
  return { what, goal: `≥ ${GOAL.toFixed(2)}×`, measured: ratio(result.ratio, 3), met: result.ratio >= GOAL };
}
