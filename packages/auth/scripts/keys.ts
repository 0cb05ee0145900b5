/**
 * pnpm keys list | rotate [--force] | retire <kid>
 *
 * Operates on the database the environment names, as the app does (DATABASE_URL, AUTH_SECRET,
 * PGLITE_DATA_DIR; see loadAuthEnv). On embedded PGlite held open by a running app, the app
 * itself runs the operation through its loopback admin endpoint (see src/keys/key-admin.ts). With no
 * app advertising one, it opens the directory itself: do not run it while another program
 * without that endpoint has the directory open (PGlite allows one process).
 */
import { createAuthFromEnv } from "../src/create-auth-from-env.ts";
import { loadAuthEnv } from "../src/config/env.ts";
import { isAuthError } from "../src/errors.ts";
import { JWKS_MAX_AGE } from "../src/keys/jwks-handler.ts";
import { callKeyAdmin, keyAdminFile, keyAdminOwner, type KeyOperation, runKeyOperation } from "../src/keys/key-admin.ts";
import type { SigningKeyInfo } from "../src/keys/key-set-types.ts";

const USAGE = `usage: pnpm keys list | rotate [--force] | retire <kid>
  list            every key: kid, alg, state and dates
  rotate          next -> current, current -> previous, a fresh next (refused while next is
                  younger than ${JWKS_MAX_AGE} s, the JWKS cache age, unless --force)
  retire <kid>    an emergency: that key's tokens are refused at once (within 30 s everywhere)`;

function parse(args: string[]): { operation: KeyOperation; force: boolean } | null {
  const force = args.includes("--force");
  const [command, kid, ...rest] = args.filter((arg) => arg !== "--force");
  if (rest.length > 0) return null;
  if (command === "list" && kid === undefined) return { operation: { op: "list" }, force };
  if (command === "rotate" && kid === undefined) return { operation: { op: "rotate" }, force };
  if (command === "retire" && kid) return { operation: { op: "retire", kid }, force };
  return null;
}

const date = (value: Date | null) => (value ? value.toISOString().replace(".000Z", "Z") : "-");

function print(keys: SigningKeyInfo[]): void {
  const rows = keys.map((key) => [
    key.kid,
    key.alg,
    key.external ? "current (AUTH_PRIVATE_KEY)" : key.state,
    date(key.createdAt),
    date(key.activatedAt),
    date(key.deactivatedAt),
    key.state === "retired" ? `retired ${date(key.retiredAt)}` : key.verifiesUntil ? `until ${date(key.verifiesUntil)}` : "-",
  ]);
  const header = ["kid", "alg", "state", "created", "signing since", "signed until", "verifies"];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]?.length ?? 0)));
  for (const row of [header, ...rows]) console.log(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ").trimEnd());
  if (keys.length === 0) console.log("(no keys: HS* signs with AUTH_SECRET, and publishes nothing)");
}

/** The rotation rule: outside verifiers cache the JWKS; a key is published as next that long before it signs. */
function tooYoung(keys: SigningKeyInfo[], now: Date): SigningKeyInfo | undefined {
  const next = keys.find((key) => key.state === "next");
  return next?.createdAt && now.getTime() - next.createdAt.getTime() < JWKS_MAX_AGE * 1000 ? next : undefined;
}

async function main(): Promise<number> {
  const request = parse(process.argv.slice(2));
  if (!request) {
    console.error(USAGE);
    return 2;
  }
  const env = loadAuthEnv();
  const embedded = env.DATABASE_URL === undefined;
  // A running app that holds the embedded database advertises its key endpoint with its pid.
  const owner = embedded ? await keyAdminOwner(env.PGLITE_DATA_DIR) : null;
  let run: (operation: KeyOperation) => Promise<SigningKeyInfo[]>;
  let close = async () => {};
  if (owner !== null) {
    run = async (operation) => {
      const keys = await callKeyAdmin(env.PGLITE_DATA_DIR, operation);
      if (keys) return keys;
      throw new Error(
        `process ${owner} holds the embedded database at ${env.PGLITE_DATA_DIR} but its key endpoint does not answer. ` +
          `Retry; if that process is not the app, delete ${keyAdminFile(env.PGLITE_DATA_DIR)}.`,
      );
    };
  } else {
    const { auth, database } = await createAuthFromEnv(env, { log: () => {}, keyAdmin: false });
    run = (operation) => runKeyOperation(auth, operation);
    close = () => database.close();
  }
  try {
    if (request.operation.op === "rotate" && !request.force) {
      const young = tooYoung(await run({ op: "list" }), new Date());
      if (young) {
        console.error(
          `keys: next key ${young.kid} was published at ${date(young.createdAt)}, less than ${JWKS_MAX_AGE} s ago: ` +
            "verifiers that cached the JWKS before then would refuse its tokens. Wait, or pass --force.",
        );
        return 1;
      }
    }
    print(await run(request.operation));
    if (embedded && owner === null) console.log(`(embedded database at ${env.PGLITE_DATA_DIR}; no app had it open)`);
    return 0;
  } catch (error) {
    console.error(`keys: ${isAuthError(error) ? error.message : error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await close();
  }
}

process.exitCode = await main();
