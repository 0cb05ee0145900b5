import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import type { Auth } from "../../src/create-auth.ts";
import { AuthError } from "../../src/errors.ts";
import { sessions } from "../../src/database/schema.ts";
import { EVENT_STREAMS_RETRY_AFTER, MAX_WATCHES_PER_SESSION, type SessionEnded } from "../../src/sessions/session-events.ts";
import { codeOf } from "../codes.ts";
import { email, PASSWORD, useAuth } from "../fixture.ts";

const t = useAuth();

const register = (auth: Auth = t.auth) => auth.register({ email: email(), password: PASSWORD, name: "Ann" });

/** The next ending of `session` that `auth` reports. */
function ended(auth: Auth, session: { id: string; userId: string }): Promise<SessionEnded> {
  return new Promise((resolve) => auth.sessionEvents.watch(session, resolve));
}

describe("sessionEvents.watch (another instance over the same database)", () => {
  it("reports a logout made through another instance", async () => {
    const other = t.withOptions({});
    const { session } = await register();
    const event = ended(other, session);
    await t.auth.logout(session);
    expect(await event).toEqual({ sessionId: session.id, reason: "logout" });
  });

  it("reports logout everywhere, revoking a session, and a password change, but not the session kept", async () => {
    const other = t.withOptions({});
    const first = await register();
    const [second, third] = await Promise.all(
      [1, 2].map(() => t.auth.signin({ email: first.user.email, password: PASSWORD })),
    );
    if (!second || !third) throw new Error("sign-in failed");
    const revoked = ended(other, second.session);
    await t.auth.revokeSession(first.user.id, second.session.id);
    expect((await revoked).reason).toBe("revoked_by_user");

    let keptEnded = false;
    other.sessionEvents.watch(first.session, () => (keptEnded = true));
    const changed = ended(other, third.session);
    await t.auth.changePassword(first, { currentPassword: PASSWORD, newPassword: `${PASSWORD} 2` });
    expect((await changed).reason).toBe("password_changed");
    expect(keptEnded).toBe(false);

    const everywhere = ended(other, first.session);
    await t.auth.logout(first.session, { everywhere: true });
    expect((await everywhere).reason).toBe("logout_everywhere");
    expect(keptEnded).toBe(true);
  });

  it("reports a bulk revocation that names only the user, by looking the sessions up", async () => {
    const other = t.withOptions({});
    const { user, session } = await register();
    // More sessions than one notification lists: the trigger sends the user id instead.
    for (let i = 0; i < 60; i += 1) await t.auth.getBearerToken(user);
    const event = ended(other, session);
    await t.auth.logout(session, { everywhere: true });
    expect(await event).toEqual({ sessionId: session.id, reason: "logout_everywhere" });
  });

  it("reports account deletion and refresh-token reuse", async () => {
    const other = t.withOptions({});
    const reused = await register();
    const rotated = await t.auth.refresh(reused.refreshToken);
    t.clock.advance(60);
    const theft = ended(other, reused.session);
    expect(await codeOf(t.auth.refresh(reused.refreshToken))).toBe("REFRESH_REUSED");
    expect((await theft).reason).toBe("refresh_token_reused");
    expect(rotated.session.id).toBe(reused.session.id);

    const deleted = await register();
    const gone = ended(other, deleted.session);
    await t.auth.deleteUser(deleted, { password: PASSWORD });
    expect(await gone).toEqual({ sessionId: deleted.session.id, reason: "account_deleted" });
  });

  it("reports a revocation made directly in SQL, and one that came before the watch", async () => {
    const other = t.withOptions({});
    const { session } = await register();
    const event = ended(other, session);
    await t.database.db.update(sessions).set({ revokedAt: sql`now()`, revokedReason: "admin" }).where(eq(sessions.id, session.id));
    expect((await event).reason).toBe("admin");
    expect((await ended(other, session)).reason).toBe("admin");
  });

  it("calls a listener once, and never after unsubscribing", async () => {
    const { session } = await register();
    const calls: string[] = [];
    const stop = t.auth.sessionEvents.watch(session, ({ reason }) => calls.push(`stopped ${reason}`));
    stop();
    const event = ended(t.auth, session);
    t.auth.sessionEvents.watch(session, ({ reason }) => calls.push(reason));
    await t.auth.logout(session);
    await event;
    await t.auth.logout(session, { everywhere: true });
    await ended(t.auth, session);
    expect(calls).toEqual(["logout"]);
  });

  it("refuses malformed ids with INVALID_INPUT", () => {
    expect(() => t.auth.sessionEvents.watch({ id: "x", userId: "y" }, () => {})).toThrow(expect.objectContaining({ code: "INVALID_INPUT" }));
  });
});

describe("sessionEvents.watch is bounded", () => {
  it(`a session holds at most ${MAX_WATCHES_PER_SESSION} watches: a newer one closes the oldest, which is told so and never fires`, async () => {
    const auth = t.withOptions({});
    const { session } = await register();
    const fired: number[] = [];
    const replaced: number[] = [];
    for (let i = 0; i <= MAX_WATCHES_PER_SESSION; i += 1) {
      auth.sessionEvents.watch(session, () => fired.push(i), { onReplaced: () => replaced.push(i) });
    }
    expect(replaced).toEqual([0]);
    expect(auth.sessionEvents.size).toBe(MAX_WATCHES_PER_SESSION);
    const last = ended(auth, session); // a tenth: the second oldest goes too
    expect(replaced).toEqual([0, 1]);
    await t.auth.logout(session);
    await last;
    expect(fired).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(auth.sessionEvents.size).toBe(0);
  });

  it("past eventStreamsMax a new watch is refused with SERVER_BUSY, never another's closed; a full session still makes room", async () => {
    const auth = t.withOptions({ eventStreamsMax: MAX_WATCHES_PER_SESSION });
    const [a, b] = await Promise.all([register(), register()]);
    if (!a || !b) throw new Error("registration failed");
    const replaced: number[] = [];
    const stops = Array.from({ length: MAX_WATCHES_PER_SESSION }, (_, i) =>
      auth.sessionEvents.watch(a.session, () => {}, { onReplaced: () => replaced.push(i) }),
    );
    let refused: unknown;
    try {
      auth.sessionEvents.watch(b.session, () => {});
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(AuthError);
    expect(refused).toMatchObject({ code: "SERVER_BUSY", retryAfter: EVENT_STREAMS_RETRY_AFTER });
    expect(replaced).toEqual([]);
    // The full session replaces its own oldest: the instance stays at its bound.
    auth.sessionEvents.watch(a.session, () => {});
    expect([replaced, auth.sessionEvents.size]).toEqual([[0], MAX_WATCHES_PER_SESSION]);
    stops[1]?.();
    const event = ended(auth, b.session);
    await t.auth.logout(b.session);
    expect((await event).reason).toBe("logout");
  });

  it("looks any number of watched sessions up, in batches below PostgreSQL's 65,535 parameters", { timeout: 120_000 }, async () => {
    const warnings: unknown[] = [];
    const auth = t.withOptions({ eventStreamsMax: 100_000, onWarning: (_message, error) => warnings.push(error) });
    // Sessions that do not exist: each lookup finds them gone, with their users.
    let heard = 0;
    const count = 70_000;
    for (let i = 0; i < count; i += 1) auth.sessionEvents.watch({ id: randomUUID(), userId: randomUUID() }, () => (heard += 1));
    // Until every watch was answered or a lookup failed (one IN of 70,000 ids did).
    await vi.waitFor(() => expect(heard === count || warnings.length > 0).toBe(true), { timeout: 100_000, interval: 100 });
    expect(warnings).toEqual([]);
    expect([heard, auth.sessionEvents.size]).toEqual([count, 0]);
  });
});
