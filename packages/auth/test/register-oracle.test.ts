// With verification required, registering a taken address must not be told from registering a
// new one: not by the answer, and not by the work done before the answer (a timing oracle).
// The work is counted as the SQL statements the request runs before it answers.
import type { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePGlite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import type postgres from "postgres";
import { beforeAll, describe, expect, it } from "vitest";
import { type Auth, createAuth } from "../src/create-auth.ts";
import type { AuthDB } from "../src/database/auth-db.ts";
import * as schema from "../src/database/schema.ts";
import { TEST_SECRET } from "../src/testing/index.ts";
import { email, PASSWORD, useAuth } from "./fixture.ts";
import { useMail } from "./mail-fixture.ts";

const t = useAuth({ throttle: { registerMaxPerIp: 100_000 } });
const m = useMail(t, { requireEmailVerification: true });

/** The fixture's database again, through a drizzle handle that counts the statements it runs. */
function countingDB(db: AuthDB): { db: AuthDB; count(): number } {
  let statements = 0;
  const logger = { logQuery: () => void (statements += 1) };
  const client = (db as unknown as { $client: PGlite | postgres.Sql }).$client;
  // postgres.js's client is a function; PGlite's, in process or on a worker thread, an object.
  const counted =
    typeof client === "function" ? drizzlePostgres(client, { schema, logger }) : drizzlePGlite(client, { schema, logger });
  return { db: counted as unknown as AuthDB, count: () => statements };
}

describe("registration with verification required (no enumeration)", () => {
  let counted: { auth: Auth; count(): number };
  beforeAll(() => {
    const { db, count } = countingDB(t.database.db);
    counted = { auth: createAuth({ db, secret: TEST_SECRET, now: t.clock.now, throttle: { registerMaxPerIp: 100_000 }, requireEmailVerification: true }), count };
  });

  async function statementsFor(address: string): Promise<{ answer: unknown; statements: number }> {
    const before = counted.count();
    const answer = await counted.auth.createAccount({ email: address, password: PASSWORD, name: "Ann" }, { ipAddress: "192.0.2.1" });
    const statements = counted.count() - before;
    await counted.auth.idle();
    return { answer, statements };
  }

  it("runs the same statements before answering for a taken address as for a new one", async () => {
    const taken = email("taken");
    await statementsFor(taken);
    const free = email("free");
    const [forTaken, forFree] = [await statementsFor(taken), await statementsFor(free)];
    expect(forTaken.statements).toBe(forFree.statements);
    expect(forTaken.answer).toEqual({ verificationRequired: true, email: taken });
    expect(forFree.answer).toEqual({ verificationRequired: true, email: free });
  });

  it("mails the new address its link and the taken address's owner a notice, after the answer", async () => {
    const taken = email("taken");
    await m.auth.createAccount({ email: taken, password: PASSWORD, name: "Ann" });
    expect((await m.smtp.take(taken)).subject).toBe("Verify your email address");
    await m.auth.createAccount({ email: taken, password: "another password entirely", name: "Eve" });
    expect((await m.smtp.take(taken)).subject).toBe("Someone tried to register with your address");
    await expect(m.auth.signin({ email: taken, password: PASSWORD })).rejects.toMatchObject({ code: "EMAIL_NOT_VERIFIED" });
  });
});
