import { describe, expect, it } from "vitest";
import type { SessionEnded } from "../../src/sessions/session-events.ts";
import { codeOf } from "../codes.ts";
import { email, PASSWORD, useAuth } from "../fixture.ts";

// Three sessions per user, so the bound is reached in a few sign-ins.
const t = useAuth({ maxSessionsPerUser: 3 });

describe("sessions per user are bounded (maxSessionsPerUser)", () => {
  it("a sign-in beyond the bound ends the least recently used session, pushed like any revocation", async () => {
    const address = email();
    const first = await t.auth.register({ email: address, password: PASSWORD, name: "Ann" });
    t.clock.advance(10);
    const second = await t.auth.signin({ email: address, password: PASSWORD });
    t.clock.advance(10);
    const third = await t.auth.signin({ email: address, password: PASSWORD });
    t.clock.advance(10);
    // The oldest session is used again (a refresh): the second becomes the least recently used.
    const refreshed = await t.auth.refresh(first.refreshToken);
    t.clock.advance(10);

    const other = t.withOptions({});
    const ended = new Promise<SessionEnded>((resolve) => other.sessionEvents.watch(second.session, resolve));
    const fourth = await t.auth.signin({ email: address, password: PASSWORD });

    expect(await ended).toEqual({ sessionId: second.session.id, reason: "session_limit" });
    expect(await codeOf(t.auth.verifyBearerToken(second.accessToken))).toBe("SESSION_REVOKED");
    expect(await codeOf(t.auth.refresh(second.refreshToken))).toBe("SESSION_REVOKED");
    const live = (await t.auth.listSessions(first.user.id)).map((session) => session.id).sort();
    expect(live).toEqual([first.session.id, third.session.id, fourth.session.id].sort());
    expect(await t.auth.checkBearerToken(refreshed.accessToken)).toMatchObject({ email: address });
  });

  it("never ends another user's sessions, and getBearerToken counts too", async () => {
    const ann = await t.auth.register({ email: email(), password: PASSWORD, name: "Ann" });
    const bob = await t.auth.register({ email: email(), password: PASSWORD, name: "Bob" });
    for (let i = 0; i < 4; i++) {
      t.clock.advance(1);
      await t.auth.getBearerToken(ann.user);
    }
    expect(await t.auth.listSessions(ann.user.id)).toHaveLength(3);
    expect(await codeOf(t.auth.verifyBearerToken(ann.accessToken))).toBe("SESSION_REVOKED");
    expect(await t.auth.checkBearerToken(bob.accessToken)).toMatchObject({ name: "Bob" });
  });
});
