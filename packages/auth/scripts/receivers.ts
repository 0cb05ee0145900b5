/**
 * pnpm receivers add <name> | remove <name> | list
 *
 * The services allowed to poll the Security Event Token feed (docs/security-event-feed.md).
 * Operates on the database the environment names, as the app does (DATABASE_URL, AUTH_SECRET,
 * PGLITE_DATA_DIR; see loadAuthEnv). On embedded PGlite it opens the data directory itself, so
 * the app must not be running (PGlite allows one process): it refuses when a running app
 * advertises the directory as its own. There, AUTH_SECURITY_EVENT_RECEIVERS registers receivers
 * at the app's start instead.
 */
import { createAuthFromEnv } from "../src/create-auth-from-env.ts";
import { loadAuthEnv } from "../src/config/env.ts";
import { isAuthError } from "../src/errors.ts";
import { keyAdminOwner } from "../src/keys/key-admin.ts";

const USAGE = `usage: pnpm receivers add <name> | remove <name> | list
  add <name>      registers a receiver and prints its credential, once: it is stored hashed
  remove <name>   removes it and its queue; its credential stops working at once
  list            every receiver: name, when it was added, events waiting for its ack`;

type Command = { op: "add" | "remove"; name: string } | { op: "list" };

function parse(args: string[]): Command | null {
  const [op, name, ...rest] = args;
  if (rest.length > 0) return null;
  if (op === "list" && name === undefined) return { op };
  if ((op === "add" || op === "remove") && name) return { op, name };
  return null;
}

const date = (value: Date) => value.toISOString().replace(/\.\d{3}Z$/, "Z");

async function main(): Promise<number> {
  const command = parse(process.argv.slice(2));
  if (!command) {
    console.error(USAGE);
    return 2;
  }
  const env = loadAuthEnv();
  if (env.DATABASE_URL === undefined) {
    const owner = await keyAdminOwner(env.PGLITE_DATA_DIR);
    if (owner !== null) {
      console.error(
        `receivers: process ${owner} (the app) holds the embedded database at ${env.PGLITE_DATA_DIR}. ` +
          "Stop it first, or register the receiver with AUTH_SECURITY_EVENT_RECEIVERS=name=credential at its start.",
      );
      return 1;
    }
  }
  const { auth, database } = await createAuthFromEnv(env, { log: () => {}, keyAdmin: false });
  const receivers = auth.securityEventFeed.receivers;
  try {
    if (command.op === "add") {
      const { credential } = await receivers.add(command.name);
      console.log(`receiver ${command.name} added. Its credential, shown this once (send it as Authorization: Bearer <credential>):`);
      console.log(credential);
    } else if (command.op === "remove") {
      if (!(await receivers.remove(command.name))) {
        console.error(`receivers: no receiver named ${command.name}`);
        return 1;
      }
      console.log(`receiver ${command.name} removed`);
    } else {
      const rows = (await receivers.list()).map((receiver) => [receiver.name, date(receiver.createdAt), String(receiver.pending)]);
      const header = ["name", "added", "pending"];
      const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]?.length ?? 0)));
      for (const row of [header, ...rows]) console.log(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ").trimEnd());
      if (rows.length === 0) console.log("(no receivers: pnpm receivers add <name>)");
    }
    if (env.DATABASE_URL === undefined) console.log(`(embedded database at ${env.PGLITE_DATA_DIR})`);
    return 0;
  } catch (error) {
    console.error(`receivers: ${isAuthError(error) ? error.message : error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await auth.close();
    await database.close();
  }
}

process.exitCode = await main();
