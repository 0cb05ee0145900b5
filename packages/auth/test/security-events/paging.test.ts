// auth.securityEvents: the user's own events only, newest first, paged by an opaque cursor; and
// prune() forgetting them after the retention.
import { describe, expect, it } from "vitest";
import { codeOf } from "../codes.ts";
import { email, PASSWORD, useAuth } from "../fixture.ts";
import { CLIENT } from "../second-factors/two-factor-fixture.ts";
import { typesOf } from "./events-fixture.ts";

const t = useAuth({ throttle: { registerMaxPerIp: 100_000 }, securityEventsRetention: "30d" });

/** An account with `signins` sign-ins after its registration, one a second. */
async function busyAccount(signins: number) {
  const address = email("paging");
  const first = await t.auth.register({ email: address, password: PASSWORD, name: "Ann" }, CLIENT);
  for (let i = 0; i < signins; i++) {
    t.clock.advance(1);
    await t.auth.signin({ email: address, password: PASSWORD }, CLIENT);
  }
  return first;
}

describe("auth.securityEvents", () => {
  it("pages newest first, each event once, until nextCursor is null", async () => {
    const first = await busyAccount(6);
    const seen: string[] = [];
    const dates: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await t.auth.securityEvents(first.user.id, { cursor, limit: 3 });
      seen.push(...page.events.map((event) => event.id));
      dates.push(...page.events.map((event) => event.createdAt.getTime()));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect(dates).toEqual([...dates].sort((a, b) => b - a));
    const [newest] = (await t.auth.securityEvents(first.user.id)).events;
    expect(newest).toMatchObject({ type: "signin", ipAddress: CLIENT.ipAddress, userAgent: CLIENT.userAgent, detail: { method: "password" } });
    expect(newest?.sessionId).toEqual(expect.any(String));
  });

  it("breaks ties of the same instant by id, without skipping or repeating", async () => {
    const address = email("ties");
    const first = await t.auth.register({ email: address, password: PASSWORD, name: "Ann" }, CLIENT);
    for (let i = 0; i < 4; i++) await t.auth.signin({ email: address, password: PASSWORD }, CLIENT); // the clock is pinned
    const one = await t.auth.securityEvents(first.user.id, { limit: 2 });
    const two = await t.auth.securityEvents(first.user.id, { limit: 2, cursor: one.nextCursor });
    const three = await t.auth.securityEvents(first.user.id, { limit: 2, cursor: two.nextCursor });
    const ids = [...one.events, ...two.events, ...three.events].map((event) => event.id);
    expect(new Set(ids).size).toBe(5);
    expect(three.nextCursor).toBeNull();
  });

  it("returns only the caller's own events", async () => {
    const ann = await busyAccount(2);
    const bo = await busyAccount(1);
    const page = await t.auth.securityEvents(bo.user.id, { limit: 100 });
    expect(page.events).toHaveLength(2);
    expect(page.events.every((event) => event.sessionId !== ann.session.id)).toBe(true);
    // Another user's cursor pages only the caller's own log.
    const annPage = await t.auth.securityEvents(ann.user.id, { limit: 1 });
    const mixed = await t.auth.securityEvents(bo.user.id, { cursor: annPage.nextCursor });
    expect(mixed.events.every((event) => page.events.some((own) => own.id === event.id))).toBe(true);
  });

  it("refuses a cursor it did not make, a limit out of range and a malformed user id", async () => {
    const first = await busyAccount(0);
    for (const cursor of ["junk!", Buffer.from("2026-01-01T00:00:00.000Z|not-a-uuid").toString("base64url"), Buffer.from("yesterday|x").toString("base64url")]) {
      expect(await codeOf(t.auth.securityEvents(first.user.id, { cursor }))).toBe("INVALID_INPUT");
    }
    expect(await codeOf(t.auth.securityEvents(first.user.id, { limit: 0 }))).toBe("INVALID_INPUT");
    expect(await codeOf(t.auth.securityEvents(first.user.id, { limit: 101 }))).toBe("INVALID_INPUT");
    expect(await codeOf(t.auth.securityEvents("nobody"))).toBe("INVALID_INPUT");
    expect((await t.auth.securityEvents(first.user.id, { limit: 100 })).events).toHaveLength(1);
  });
});

describe("prune() and the retention", () => {
  it("deletes events older than securityEventsRetention, and keeps the rest", async () => {
    const first = await busyAccount(0);
    t.clock.advance(29 * 86_400);
    await t.auth.signin({ email: first.user.email, password: PASSWORD }, CLIENT);
    t.clock.advance(2 * 86_400); // the registration's signin is now 31 days old
    const pruned = await t.auth.prune();
    expect(pruned.securityEvents).toBeGreaterThanOrEqual(1);
    expect(await typesOf(t.database, first.user.id)).toEqual(["signin"]);
    expect((await t.auth.securityEvents(first.user.id)).events[0]?.detail.method).toBe("password");
  });
});
