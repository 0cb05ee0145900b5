import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Auth } from "../src/create-auth.ts";
import { sessions } from "../src/schema.ts";
import type { SessionEnded } from "../src/session-events.ts";
import { codeOf } from "./codes.ts";
import { email, PASSWORD, useAuth } from "./fixture.ts";

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
