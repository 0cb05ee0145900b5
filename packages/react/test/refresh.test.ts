// Single-flight refresh: the rotation races that sign users out elsewhere (parallel calls, or
// tabs, each refreshing the one cookie) cannot happen here. Real HTTP against the real API.
import { describe, expect, it, vi } from "vitest";
import { createBrowser } from "./browser.ts";
import { EXPIRED_SECONDS, signedInUser, useLiveApi } from "./fixture.ts";

const t = useLiveApi();

describe("single-flight refresh", () => {
  it("parallel calls of one tab that find the token expired share one refresh, then all succeed", async () => {
    const browser = createBrowser();
    const { session, trpc } = t.tab(browser);
    const user = signedInUser(await session.signIn(await t.api().createUser()));
    const signedInWith = session.getAccessToken();
    t.api().clock.advance(EXPIRED_SECONDS);

    const [first, second, sessions] = await Promise.all([trpc.auth.me.query(), trpc.auth.me.query(), trpc.account.sessions.query()]);

    expect([first.id, second.id]).toEqual([user.id, user.id]);
    expect(sessions.filter((row) => row.current)).toHaveLength(1);
    expect(browser.calls("auth.refresh")).toBe(1);
    expect(session.getAccessToken()).not.toBe(signedInWith);
  });

  it("tabs of one browser share one refresh: the others take the token it broadcasts", async () => {
    const browser = createBrowser();
    const a = t.tab(browser);
    const b = t.tab(browser);
    a.start();
    b.start();
    await vi.waitFor(() => expect([a.session.getSession().status, b.session.getSession().status]).toEqual(["signed-out", "signed-out"]), { timeout: 10_000 });
    await a.session.signIn(await t.api().createUser());
    await vi.waitFor(() => expect(b.session.getAccessToken()).toBe(a.session.getAccessToken()), { timeout: 10_000 });
    const before = { refreshes: browser.calls("auth.refresh"), token: a.session.getAccessToken() };
    t.api().clock.advance(EXPIRED_SECONDS);

    await Promise.all([a.trpc.auth.me.query(), b.trpc.auth.me.query()]);

    expect(browser.calls("auth.refresh") - before.refreshes).toBe(1);
    expect(a.session.getAccessToken()).not.toBe(before.token);
    expect(b.session.getAccessToken()).toBe(a.session.getAccessToken());
  });

  it("a new tab restores the session from the refresh cookie alone", async () => {
    const browser = createBrowser();
    const first = t.tab(browser);
    const user = signedInUser(await first.session.signIn(await t.api().createUser()));
    const reloaded = t.tab(browser);
    expect(reloaded.session.getSession()).toEqual({ status: "restoring" });

    reloaded.start();

    await vi.waitFor(() => expect(reloaded.session.getSession().status).toBe("signed-in"), { timeout: 10_000 });
    expect((await reloaded.trpc.auth.me.query()).id).toBe(user.id);
  });
});
