// The feed's receivers: credentials shown once and stored hashed, authentication, removal, the
// operator's upsert (AUTH_SECURITY_EVENT_RECEIVERS) keeping the queue, and the count of what waits.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { loadAuthEnv } from "../../src/config/env.ts";
import { createAuthFromEnv } from "../../src/create-auth-from-env.ts";
import { securityEventReceivers } from "../../src/database/schema.ts";
import { sha256 } from "../../src/lib/crypto.ts";
import { testBackend } from "../../src/testing/index.ts";
import { email, PASSWORD, useAuth } from "../fixture.ts";

const t = useAuth({ throttle: { registerMaxPerIp: 100_000 } });
const receivers = () => t.auth.securityEventFeed.receivers;
const CREDENTIAL = /^ser_[A-Za-z0-9_-]{43}$/;

async function endSession(): Promise<void> {
  const { session } = await t.auth.register({ email: email("receivers"), password: PASSWORD, name: "Ann" });
  await t.auth.logout(session);
}

describe("security event receivers", () => {
  it("add shows a ser_ credential of 256 bits once and stores only its SHA-256", async () => {
    const { receiver, credential } = await receivers().add("alpha");
    expect(credential).toMatch(CREDENTIAL);
    expect(receiver).toEqual({ id: expect.any(String), name: "alpha", createdAt: t.clock.now() });
    const [row] = await t.database.db.select().from(securityEventReceivers).where(eq(securityEventReceivers.id, receiver.id));
    expect(row?.credentialHash).toBe(sha256(credential));
    expect(JSON.stringify(row)).not.toContain(credential);
    expect(await receivers().authenticate(credential)).toEqual(receiver);
  });

  it("authenticates nothing for an unknown, malformed or removed credential", async () => {
    const { credential } = await receivers().add("beta");
    for (const unknown of [`ser_${"A".repeat(43)}`, "", "short", null, undefined, "x".repeat(10_000)]) {
      expect(await receivers().authenticate(unknown)).toBeNull();
    }
    expect(await receivers().remove("beta")).toBe(true);
    expect(await receivers().authenticate(credential)).toBeNull();
    expect(await receivers().remove("beta")).toBe(false);
  });

  it("refuses a taken or malformed name with INVALID_INPUT", async () => {
    await receivers().add("gamma");
    await expect(receivers().add("gamma")).rejects.toMatchObject({ code: "INVALID_INPUT", fieldErrors: { name: [expect.any(String)] } });
    for (const name of ["", "a=b", "a,b", "-a", "x".repeat(65), "a b"]) {
      await expect(receivers().add(name)).rejects.toMatchObject({ code: "INVALID_INPUT" });
    }
  });

  it("upsert creates, then replaces the credential keeping the queue; lists what waits", async () => {
    const first = "f".repeat(40);
    const second = "s".repeat(40);
    const created = await receivers().upsert("delta", first);
    await endSession();
    const replaced = await receivers().upsert("delta", second);
    expect(replaced.id).toBe(created.id);
    expect(await receivers().authenticate(first)).toBeNull();
    expect(await receivers().authenticate(second)).toEqual(created);
    const listed = (await receivers().list()).find((receiver) => receiver.name === "delta");
    expect(listed).toEqual({ ...created, pending: 1 });
    await expect(receivers().upsert("epsilon", second)).rejects.toMatchObject({ code: "INVALID_INPUT", fieldErrors: { credential: [expect.any(String)] } });
    await expect(receivers().upsert("epsilon", "too-short")).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });

  it("removing a receiver drops its queue, not the events", async () => {
    const { receiver } = await receivers().add("zeta");
    await endSession();
    expect((await receivers().list()).find((row) => row.id === receiver.id)?.pending).toBe(1);
    await receivers().remove("zeta");
    expect((await receivers().list()).some((row) => row.id === receiver.id)).toBe(false);
  });
});

// Embedded only: what `npm start` does with AUTH_SECURITY_EVENT_RECEIVERS.
describe.runIf(testBackend() === "pglite")("AUTH_SECURITY_EVENT_RECEIVERS", () => {
  it("registers each receiver at start, and a restart with a new credential replaces the old", async () => {
    const dir = await mkdtemp(join(tmpdir(), "bk-receivers-env-"));
    const start = async (credential: string) => {
      const env = loadAuthEnv({ PGLITE_DATA_DIR: join(dir, "db"), AUTH_SECURITY_EVENT_RECEIVERS: `notes=${credential}` });
      return createAuthFromEnv(env, { log: () => {}, keyAdmin: false });
    };
    try {
      const one = await start("1".repeat(32));
      const notes = await one.auth.securityEventFeed.receivers.authenticate("1".repeat(32));
      expect(notes?.name).toBe("notes");
      await one.auth.close();
      await one.database.close();
      const two = await start("2".repeat(32));
      expect(await two.auth.securityEventFeed.receivers.authenticate("1".repeat(32))).toBeNull();
      expect((await two.auth.securityEventFeed.receivers.authenticate("2".repeat(32)))?.id).toBe(notes?.id);
      await two.auth.close();
      await two.database.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
