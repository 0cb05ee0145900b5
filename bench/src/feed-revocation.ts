// Section 7: revocation on the web app to the first 401 from a verifier in another process: the
// API process (serving the security-event feed) and apps/notes, which follows it with
// `createVerifier({ revocations })`, both started here on one PostgreSQL.
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { BenchOptions } from "./bench-options.ts";
import { childEnv } from "./env.ts";
import type { GoalRow } from "./goals-table.ts";
import { bearer, benchEmail, logout, register, signin } from "./lib/api-client.ts";
import { startApiServer } from "./lib/api-server-process.ts";
import { spawnUntilReady } from "./lib/child-process.ts";
import { GIVE_UP_MS, median, ms, type RevocationResult } from "./revocation-latency.ts";

const NOTES_DIR = fileURLToPath(new URL("../../apps/notes", import.meta.url));
/** How long notes may take to reach the feed once both listen. */
const FEED_READY_MS = 30_000;

/** The notes service's status for `GET /notes` with `token`, and its authCode when refused. */
async function notesAnswer(origin: string, token: string): Promise<{ status: number; authCode: string | null }> {
  const response = await fetch(`${origin}/notes`, { headers: bearer(token) });
  const body = (await response.json().catch(() => null)) as { error?: { data?: { authCode?: string } } } | null;
  return { status: response.status, authCode: body?.error?.data?.authCode ?? null };
}

/**
 * Per trial: sign in on the API, have notes accept the token, log out on the API, then poll
 * notes back to back until it answers 401 `SESSION_REVOKED`. The clock starts when the logout
 * answers: the revocation, its event and its delivery row have committed by then.
 */
export async function measureFeedRevocation(databaseUrl: string, ports: { api: number; notes: number }, options: BenchOptions): Promise<RevocationResult> {
  const credential = `ser_${randomBytes(32).toString("base64url")}`;
  const api = await startApiServer({ port: ports.api, database: { url: databaseUrl }, receivers: `notes=${credential}` });
  try {
    const notes = await spawnUntilReady({
      command: process.execPath,
      args: ["--conditions=@bearer-kit/source", "--import", "tsx", "src/main.ts"],
      cwd: NOTES_DIR,
      env: childEnv({
        NOTES_PORT: String(ports.notes),
        HOSTNAME: "127.0.0.1",
        NOTES_DATABASE_URL: databaseUrl,
        NOTES_JWKS_URL: `${api.origin}/.well-known/jwks.json`,
        NOTES_ALLOWED_ORIGIN: api.origin,
        NOTES_RECEIVER_CREDENTIAL: credential,
      }),
      ready: /listening on (\S+)/,
      timeoutMs: 60_000,
    });
    try {
      return await trials(api.origin, `http://127.0.0.1:${ports.notes}`, options);
    } finally {
      await notes.stop();
    }
  } finally {
    await api.stop();
  }
}

async function trials(apiOrigin: string, notesOrigin: string, options: BenchOptions): Promise<RevocationResult> {
  const email = benchEmail(0, `feed-${Date.now()}`);
  await register(apiOrigin, email, "10.7.0.1");
  const result: RevocationResult = { trials: [], polls: 0 };
  const ready = performance.now() + FEED_READY_MS;
  for (let trial = 0; trial < options.revocationTrials; trial++) {
    const { accessToken } = await signin(apiOrigin, email, "10.7.0.1");
    // The first trial waits for notes' first successful poll (503 REVOCATION_UNAVAILABLE before).
    for (let answer = await notesAnswer(notesOrigin, accessToken); answer.status !== 200; answer = await notesAnswer(notesOrigin, accessToken)) {
      if (answer.authCode !== "REVOCATION_UNAVAILABLE" || performance.now() > ready) {
        throw new Error(`notes answered ${answer.status} ${answer.authCode ?? ""} to a fresh token`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await logout(apiOrigin, accessToken);
    const start = performance.now();
    for (;;) {
      result.polls++;
      const answer = await notesAnswer(notesOrigin, accessToken);
      const elapsed = performance.now() - start;
      if (answer.status === 401) {
        if (answer.authCode !== "SESSION_REVOKED") throw new Error(`notes refused with ${answer.authCode ?? "?"}, not SESSION_REVOKED`);
        result.trials.push(elapsed);
        break;
      }
      if (answer.status !== 200) throw new Error(`notes answered ${answer.status} ${answer.authCode ?? ""} while polling`);
      if (elapsed > GIVE_UP_MS) {
        result.trials.push(Number.POSITIVE_INFINITY);
        break;
      }
    }
  }
  return result;
}

export function printFeedRevocation(result: RevocationResult): void {
  const { trials: times, polls } = result;
  console.log(`  ${times.length} trials: median ${ms(median(times))}, worst ${ms(Math.max(...times))}, ${polls} polls of notes in all`);
}

export function feedRevocationGoalRow(result: RevocationResult | { error: string }): GoalRow {
  const what = "revocation on the web app → first 401 from a verifier in another process";
  const goal = "≤ 1 s, worst of 20";
  if ("error" in result) return { what, goal, measured: `failed: ${result.error.split("\n")[0] ?? ""}`, met: null };
  const worst = Math.max(...result.trials);
  return { what, goal, measured: `worst ${ms(worst)}, median ${ms(median(result.trials))} (${result.trials.length} trials)`, met: worst <= 1000 };
}
