import type { Auth, SessionEvents } from "@bearer-kit/auth";
import { describe, expect, it, vi } from "vitest";
import { PASSWORD } from "../fixture.ts";
import { useHttp } from "../http-fixture.ts";
import { subscribe } from "./session-events-client.ts";

/** Watches open on the bus right now: each subscription holds one until its stream ends. */
let openWatches = 0;
function countingWatches(auth: Auth): Auth {
  const sessionEvents: SessionEvents = {
    get size() {
      return auth.sessionEvents.size;
    },
    watch(session, listener, options) {
      openWatches += 1;
      const stop = auth.sessionEvents.watch(session, listener, options);
      let stopped = false;
      return () => {
        if (!stopped) openWatches -= 1;
        stopped = true;
        stop();
      };
    },
  };
  return new Proxy(auth, { get: (target, key) => (key === "sessionEvents" ? sessionEvents : Reflect.get(target, key)) });
}

const http = useHttp({}, { auth: async () => countingWatches(http.t.auth) });
const { url, post, get, register } = http;

const bearer = (token: string | null) => ({ authorization: `Bearer ${token ?? ""}` });

/** One user signed in twice over HTTP: `first` watches, `second` acts from "another device". */
async function twoSessions() {
  const first = await register();
  const response = await post("auth.signin", { email: first.address, password: PASSWORD });
  const body = (await response.json()) as { result: { data: { accessToken: string } } };
  return { address: first.address, first: first.accessToken, second: body.result.data.accessToken };
}

/** The id of the session `token` belongs to, as its sessions list marks it. */
async function sessionIdOf(token: string): Promise<string> {
  const response = await get("account.sessions", bearer(token));
  const body = (await response.json()) as { result: { data: Array<{ id: string; current: boolean }> } };
  const id = body.result.data.find((session) => session.current)?.id;
  if (!id) throw new Error("no current session");
  return id;
}

describe("auth.sessionEvents", () => {
  it("sends session_ended when another device signs out everywhere, then ends the stream", async () => {
    const { first, second } = await twoSessions();
    const subscription = subscribe(url(), first);
    await subscription.started;
    expect((await post("auth.logout", { everywhere: true }, bearer(second))).status).toBe(200);
    await expect(subscription.finished).resolves.toEqual({ events: [{ type: "session_ended", reason: "logout_everywhere" }], error: null });
  });

  it("sends session_ended when the session is revoked from another one's sessions list", async () => {
    const { first, second } = await twoSessions();
    const id = await sessionIdOf(first);
    const subscription = subscribe(url(), first);
    await subscription.started;
    expect((await post("account.revokeSession", { id }, bearer(second))).status).toBe(200);
    const { events, error } = await subscription.finished;
    expect(error).toBeNull();
    expect(events).toEqual([{ type: "session_ended", reason: "revoked_by_user" }]);
  });

  it("sends session_ended when the password is changed elsewhere, and account_deleted when the account goes", async () => {
    const { first, second } = await twoSessions();
    const changed = subscribe(url(), first);
    await changed.started;
    const change = await post("account.changePassword", { currentPassword: PASSWORD, newPassword: "a whole new passphrase" }, bearer(second));
    expect(change.status).toBe(200);
    await expect(changed.finished).resolves.toEqual({ events: [{ type: "session_ended", reason: "password_changed" }], error: null });

    const deleted = subscribe(url(), second);
    await deleted.started;
    expect((await post("account.delete", { password: "a whole new passphrase" }, bearer(second))).status).toBe(200);
    await expect(deleted.finished).resolves.toEqual({ events: [{ type: "session_ended", reason: "account_deleted" }], error: null });
  });

  it("refuses a missing or revoked token at subscribe time with the usual 401 codes", async () => {
    const { first, second } = await twoSessions();
    await expect(subscribe(url(), null).finished).resolves.toEqual({ events: [], error: { code: "UNAUTHORIZED", authCode: "TOKEN_INVALID" } });
    await post("auth.logout", {}, bearer(first));
    await expect(subscribe(url(), first).finished).resolves.toEqual({ events: [], error: { code: "UNAUTHORIZED", authCode: "SESSION_REVOKED" } });
    // The other session is untouched by the first one's plain logout.
    const live = subscribe(url(), second);
    await live.started;
    live.unsubscribe();
  });

  it("takes the token in the Authorization header: no URL the client requests carries it", async () => {
    const { first, second } = await twoSessions();
    const requested: string[] = [];
    const subscription = subscribe(url(), first, requested);
    await subscription.started;
    await post("auth.logout", { everywhere: true }, bearer(second));
    await subscription.finished;
    expect(requested).toEqual([`${url()}/auth.sessionEvents`]);
    for (const requestedUrl of requested) expect(requestedUrl).not.toContain(first);
  });

  it("streams as server-sent events, unbuffered and untransformed by proxies", async () => {
    const { first } = await twoSessions();
    const controller = new AbortController();
    const response = await fetch(`${url()}/auth.sessionEvents`, { headers: bearer(first), signal: controller.signal });
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    expect(response.headers.get("cache-control")).toContain("no-transform");
    expect(response.headers.get("x-accel-buffering")).toBe("no");
    // The first event arrives while the stream is still open: the bridge does not buffer it.
    const reader = response.body?.getReader();
    const firstChunk = await reader?.read();
    expect(new TextDecoder().decode(firstChunk?.value)).toContain("event: connected");
    controller.abort();
  });

  it("releases the session watch when the client disconnects", async () => {
    const { first } = await twoSessions();
    const before = openWatches;
    const subscription = subscribe(url(), first);
    await subscription.started;
    expect(openWatches).toBe(before + 1);
    subscription.unsubscribe();
    await vi.waitFor(() => expect(openWatches).toBe(before), { timeout: 10_000 });
  });
});

describe("auth.sessionEvents when the access token expires", () => {
  // One-second tokens by the fixture's pinned clock: the stream must end when its token does.
  const short = useHttp({ ttl: 1 });

  it("ends the stream with TOKEN_EXPIRED, so the client refreshes and subscribes again", async () => {
    const { accessToken } = await short.register();
    await expect(subscribe(short.url(), accessToken).finished).resolves.toEqual({
      events: [],
      error: { code: "UNAUTHORIZED", authCode: "TOKEN_EXPIRED" },
    });
  });
});
