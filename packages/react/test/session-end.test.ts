// How sessions end: here (every tab of the browser), everywhere (other devices hear it live),
// and when a call finds the session revoked. Real HTTP, real session events over SSE.
import { describe, expect, it, vi } from "vitest";
import type { SignOutReason } from "../src/client.ts";
import { createBrowser } from "./browser.ts";
import { useLiveApi } from "./fixture.ts";

const t = useLiveApi();

describe("the end of a session", () => {
  it("a sign-out ends the session in every tab of the browser and clears the refresh cookie", async () => {
    const browser = createBrowser();
    const a = t.tab(browser);
    const b = t.tab(browser);
    a.start();
    b.start();
    await vi.waitFor(() => expect(b.session.getSession().status).toBe("signed-out"), { timeout: 10_000 });
    await a.session.signIn(await t.api().createUser());
    await vi.waitFor(() => expect(b.session.getSession().status).toBe("signed-in"), { timeout: 10_000 });
    const ended: (SignOutReason | null)[] = [];
    b.session.onSessionEnd((reason) => ended.push(reason));

    await a.session.signOut();

    expect(a.session.getSession()).toEqual({ status: "signed-out", reason: null });
    await vi.waitFor(() => expect(b.session.getSession()).toEqual({ status: "signed-out", reason: null }), { timeout: 10_000 });
    expect(ended).toEqual([null]);
    // A tab opened now finds no session: the cookie went with it.
    const reopened = t.tab(browser);
    reopened.start();
    await vi.waitFor(() => expect(reopened.session.getSession()).toEqual({ status: "signed-out", reason: null }), { timeout: 10_000 });
  });

  it("a sign-out everywhere reaches another device at once, through the session events", async () => {
    const credentials = await t.api().createUser();
    const laptop = t.tab(createBrowser());
    const phone = t.tab(createBrowser());
    await laptop.session.signIn(credentials);
    await phone.session.signIn(credentials);
    phone.start();
    const ended: (SignOutReason | null)[] = [];
    phone.session.onSessionEnd((reason) => ended.push(reason));
    // Whether the phone's stream opens before the logout (the event) or after it (refused as
    // SESSION_REVOKED), the news and the notice are the same: no waiting for it here.

    await laptop.session.signOutEverywhere();

    // No call from the phone: the server's event alone signs it out, saying why.
    await vi.waitFor(() => expect(ended).toEqual(["elsewhere"]), { timeout: 10_000 });
    expect(phone.session.getSession()).toEqual({ status: "signed-out", reason: "elsewhere" });
  });

  it("a call that finds the session revoked signs the tab out", async () => {
    const credentials = await t.api().createUser();
    const laptop = t.tab(createBrowser());
    const phone = t.tab(createBrowser());
    await laptop.session.signIn(credentials);
    await phone.session.signIn(credentials);
    await laptop.session.signOutEverywhere();

    await expect(phone.trpc.auth.me.query()).rejects.toThrow();

    expect(phone.session.getSession()).toEqual({ status: "signed-out", reason: "ended" });
  });
});
