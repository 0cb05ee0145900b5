import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { createAuth } from "../../src/create-auth.ts";
import { createDatabase } from "../../src/database/database.ts";
import { migrate } from "../../src/database/migrate.ts";
import { TEST_SECRET, testBackend, testDatabaseUrl } from "../../src/testing/index.ts";
import { email, PASSWORD } from "../fixture.ts";

const run = promisify(execFile);

// A host app with its own drizzle schema (its own `users`) runs `drizzle-kit push --force` on
// the database we share. drizzle-kit only looks at `schemaFilter` (default ["public"]), so it
// neither drops nor alters anything in bearer_kit. Before the schema move, the same push
// dropped our sessions and refresh_tokens and rewrote our users table.
describe.runIf(testBackend() === "postgres")("a host app's drizzle-kit on the same database", () => {
  it("push --force leaves every bearer_kit table and row alone", async () => {
    const name = `bk_host_${randomBytes(6).toString("hex")}`;
    const admin = postgres(testDatabaseUrl(), { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(testDatabaseUrl());
    url.pathname = `/${name}`;
    // Inside the package, so the host schema resolves drizzle-orm as an app's would.
    const dir = await mkdtemp(join(import.meta.dirname, "../..", ".host-app-"));
    const database = await createDatabase({ url: url.toString() });
    try {
      await migrate(database.db);
      const auth = createAuth({ db: database.db, secret: TEST_SECRET });
      const { accessToken, user } = await auth.register({ email: email(), password: PASSWORD, name: "Ann" });

      await writeFile(
        join(dir, "schema.ts"),
        `import { pgTable, serial, text } from "drizzle-orm/pg-core";
export const users = pgTable("users", { id: serial("id").primaryKey(), handle: text("handle").notNull() });
export const notes = pgTable("notes", { id: serial("id").primaryKey(), body: text("body").notNull() });
`,
      );
      await writeFile(
        join(dir, "drizzle.config.ts"),
        `export default { dialect: "postgresql", schema: "${join(dir, "schema.ts")}", dbCredentials: { url: "${url.toString()}" } };\n`,
      );
      await run("node_modules/.bin/drizzle-kit", ["push", "--force", "--config", join(dir, "drizzle.config.ts")], {
        cwd: join(import.meta.dirname, "../.."),
      });

      const shared = postgres(url.toString(), { max: 1, onnotice: () => {} });
      const listed = await shared.unsafe(
        "select table_schema || '.' || table_name as name from information_schema.tables where table_schema in ('public', 'bearer_kit') order by 1",
      );
      await shared.end();
      expect(listed.map((row) => row.name as string)).toEqual([
        "bearer_kit.auth_migrations",
        "bearer_kit.dpop_proofs",
        "bearer_kit.email_tokens",
        "bearer_kit.mfa_challenges",
        "bearer_kit.passkeys",
        "bearer_kit.recovery_codes",
        "bearer_kit.refresh_tokens",
        "bearer_kit.security_event_deliveries",
        "bearer_kit.security_event_receivers",
        "bearer_kit.security_events",
        "bearer_kit.sessions",
        "bearer_kit.signing_keys",
        "bearer_kit.throttles",
        "bearer_kit.totp_factors",
        "bearer_kit.users",
        "bearer_kit.webauthn_challenges",
        "public.notes",
        "public.users",
      ]);
      expect(await auth.checkBearerToken(accessToken)).toMatchObject(user);
    } finally {
      await database.close();
      await rm(dir, { recursive: true, force: true });
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  }, 60_000);
});
