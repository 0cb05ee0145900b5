// The auth link: a call refused with TOKEN_EXPIRED is refreshed and retried once, and only once;
// a refresh with no answer is a network failure, never a sign-out.
import { describe, expect, it } from "vitest";
import { readAuthError } from "../src/client.ts";
import { createBrowser } from "./browser.ts";
import { EXPIRED_SECONDS, signedInUser, useLiveApi } from "./fixture.ts";

const t = useLiveApi();

/** The error a promise rejects with, read as the UI reads it. */
async function failureOf(promise: Promise<unknown>): Promise<ReturnType<typeof readAuthError>> {
  try {
    await promise;
  } catch (error) {
    return readAuthError(error);
  }
  throw new Error("expected the call to fail");
}

describe("the auth link", () => {
  it("refreshes an expired token and retries the call once, which then succeeds", async () => {
    const browser = createBrowser();
    const { session, trpc } = t.tab(browser);
    const user = signedInUser(await session.signIn(await t.api().createUser()));
    t.api().clock.advance(EXPIRED_SECONDS);

    expect((await trpc.auth.me.query()).id).toBe(user.id);
    expect({ me: browser.calls("auth.me"), refresh: browser.calls("auth.refresh") }).toEqual({ me: 2, refresh: 1 });
  });

  it("retries once only: a token expired again straight after the refresh fails the call", async () => {
    const browser = createBrowser();
    const { session, trpc } = t.tab(browser);
    await session.signIn(await t.api().createUser());
    // A server clock that jumps past every new token's lifetime: looping would hammer refresh.
    browser.after.set("auth.refresh", () => t.api().clock.advance(EXPIRED_SECONDS));
    t.api().clock.advance(EXPIRED_SECONDS);

    expect((await failureOf(trpc.auth.me.query())).code).toBe("TOKEN_EXPIRED");
    expect({ me: browser.calls("auth.me"), refresh: browser.calls("auth.refresh") }).toEqual({ me: 2, refresh: 1 });
    expect(session.getSession().status).toBe("signed-in");
  });

  it("fails the call as unreachable when the refresh gets no answer, and keeps the session", async () => {
    const browser = createBrowser();
    const { session, trpc } = t.tab(browser);
    await session.signIn(await t.api().createUser());
    const token = session.getAccessToken();
    browser.unreachable.add("auth.refresh");
    t.api().clock.advance(EXPIRED_SECONDS);

    expect(await failureOf(trpc.auth.me.query())).toMatchObject({ code: null, network: true });
    expect(session.getAccessToken()).toBe(token);

    // The network is back: the next call refreshes and goes through.
    browser.unreachable.clear();
    await expect(trpc.auth.me.query()).resolves.toMatchObject({ email: expect.any(String) });
  });
});
