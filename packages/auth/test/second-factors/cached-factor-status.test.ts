import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { createAuth } from "../../src/create-auth.ts";
import { createDatabase } from "../../src/database/database.ts";
import { revocationFeed } from "../../src/database/revocation-feed.ts";
import { recoveryCodes } from "../../src/database/schema.ts";
import { TEST_SECRET, testBackend } from "../../src/testing/index.ts";
import { databaseUrl } from "../database-url.ts";
import { startPgWireProxy } from "../faults/pg-wire-proxy.ts";
import { PASSWORD, useAuth } from "../fixture.ts";
import { useMail } from "../mail-fixture.ts";
import { cacheListening } from "../session-cache-events.ts";
import { CLIENT, enrolledAccount, nextCode } from "./two-factor-fixture.ts";

// auth.me's two-factor summary (`twoFactorStatus`) is served from memory on the session cache's
// terms; these pin what a user would see go wrong if it were not: a stale "on", or a count of
// recovery codes that a use on another instance did not lower.
const t = useAuth({ throttle: { registerMaxPerIp: 100_000 } });
const m = useMail(t);

/** Deletes the account's unused recovery codes in SQL: no notification, as when one is lost. */
async function dropCodesSilently(userId: string): Promise<void> {
  await t.database.db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
}

describe("the two-factor summary (auth.me) across instances", () => {
  it("is answered from memory on a repeat, and no older than the session cache's maximum age", async () => {
    const other = t.withOptions({});
    await cacheListening(other);
    const { current } = await enrolledAccount(t, m);
    expect(await other.twoFactorStatus(current.user.id)).toEqual({ totp: true, recoveryCodesLeft: 10, passkeys: 0 });

    await dropCodesSilently(current.user.id);
    expect(await other.twoFactorStatus(current.user.id)).toEqual({ totp: true, recoveryCodesLeft: 10, passkeys: 0 });
    t.clock.advance(60); // AUTH_SESSION_CACHE_MAX_AGE's default
    expect(await other.twoFactorStatus(current.user.id)).toEqual({ totp: true, recoveryCodesLeft: 0, passkeys: 0 });
  });

  it("is answered from memory with AUTH_SESSION_CACHE=off too: that makes token checks strict, and the summary decides nothing", async () => {
    const strict = t.withOptions({ sessionCache: "off" });
    await cacheListening(strict);
    const { current } = await enrolledAccount(t, m);
    expect(await strict.twoFactorStatus(current.user.id)).toEqual({ totp: true, recoveryCodesLeft: 10, passkeys: 0 });
    await dropCodesSilently(current.user.id);
    expect(await strict.twoFactorStatus(current.user.id)).toEqual({ totp: true, recoveryCodesLeft: 10, passkeys: 0 });
  });

  it("a recovery code used through another instance lowers the count where it was cached", async () => {
    const other = t.withOptions({});
    await cacheListening(other);
    const account = await enrolledAccount(t, m);
    expect(await other.twoFactorStatus(account.current.user.id)).toMatchObject({ recoveryCodesLeft: 10 });

    const step = await t.auth.signinOrChallenge({ email: account.address, password: PASSWORD }, CLIENT);
    if (!step.mfaRequired) throw new Error("expected a second step");
    await t.auth.verifySecondFactor({ mfaToken: step.mfaToken, recoveryCode: account.recoveryCodes[0] ?? "" }, CLIENT);

    await vi.waitFor(async () => expect(await other.twoFactorStatus(account.current.user.id)).toMatchObject({ recoveryCodesLeft: 9 }), { timeout: 10_000 });
  });

  it("turned off through another instance: the cached 'on' goes, and this instance's own change shows at once", async () => {
    const other = t.withOptions({});
    await cacheListening(other);
    const account = await enrolledAccount(t, m);
    expect(await other.twoFactorStatus(account.current.user.id)).toMatchObject({ totp: true });
    expect(await t.auth.twoFactorStatus(account.current.user.id)).toMatchObject({ totp: true });

    await t.auth.totpDisable(account.current, { password: PASSWORD, code: nextCode(t, account.secret) }, CLIENT);

    expect(await t.auth.twoFactorStatus(account.current.user.id)).toEqual({ totp: false, recoveryCodesLeft: 0, passkeys: 0 });
    await vi.waitFor(async () => expect(await other.twoFactorStatus(account.current.user.id)).toEqual({ totp: false, recoveryCodesLeft: 0, passkeys: 0 }), { timeout: 10_000 });
  });
});

describe.runIf(testBackend() === "postgres")("the two-factor summary with a listener that never receives (PostgreSQL)", () => {
  it("is read from the database every time", async () => {
    // As behind a transaction-mode pooler: LISTEN succeeds, notifications never reach this client.
    const proxy = await startPgWireProxy(await databaseUrl(t.database));
    proxy.swallowNotifications = true;
    const database = await createDatabase({ url: proxy.url, maxConnections: 2 });
    revocationFeed(database.db, { probeIntervalMs: 100 });
    const deaf = createAuth({ db: database.db, secret: TEST_SECRET, now: t.clock.now, onWarning: () => {} });
    try {
      const { current } = await enrolledAccount(t, m);
      await vi.waitFor(() => expect(proxy.swallowed).toBeGreaterThanOrEqual(3), { timeout: 10_000 });
      expect(await deaf.twoFactorStatus(current.user.id)).toEqual({ totp: true, recoveryCodesLeft: 10, passkeys: 0 });
      await dropCodesSilently(current.user.id);
      expect(await deaf.twoFactorStatus(current.user.id)).toEqual({ totp: true, recoveryCodesLeft: 0, passkeys: 0 });
    } finally {
      await deaf.close();
      await database.close();
      await proxy.close();
    }
  });
});
