import { randomUUID } from "node:crypto";
import { AuthError, MAX_WATCHES_PER_SESSION, type SessionEvents } from "@bearer-kit/auth";
import { describe, expect, it, vi } from "vitest";
import { watchSessionEnd } from "../../src/router/watch-session-end.ts";
import { PASSWORD } from "../fixture.ts";
import { type HttpFixture, useHttp } from "../http-fixture.ts";
import { type Subscription, subscribe } from "./session-events-client.ts";

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** One user signed in twice over HTTP: `first` streams, `second` acts from "another device". */
async function twoSessions(http: HttpFixture): Promise<{ first: string; second: string }> {
  const first = await http.register();
  const response = await http.post("auth.signin", { email: first.address, password: PASSWORD });
  const body = (await response.json()) as { result: { data: { accessToken: string } } };
  return { first: first.accessToken, second: body.result.data.accessToken };
}

type Outcome = Awaited<Subscription["finished"]>;

describe("auth.sessionEvents: streams per session", () => {
  const http = useHttp();

  it(`120 concurrent streams on one token: ${MAX_WATCHES_PER_SESSION} stay open, the rest end STREAM_REPLACED, and the instance stays healthy`, async () => {
    const { first, second } = await twoSessions(http);
    const streams = Array.from({ length: 120 }, () => subscribe(http.url(), first));
    const outcomes: Outcome[] = [];
    for (const stream of streams) void stream.finished.then((outcome) => outcomes.push(outcome));
    await Promise.all(streams.map((stream) => stream.started));
    await vi.waitFor(() => expect(outcomes.length).toBe(120 - MAX_WATCHES_PER_SESSION), { timeout: 20_000 });

    // The cap held: the oldest went, each told why, and only the newest are watched.
    const replaced = { events: [], error: { code: "CONFLICT", authCode: "STREAM_REPLACED" } };
    expect(outcomes).toEqual(Array.from({ length: 120 - MAX_WATCHES_PER_SESSION }, () => replaced));
    expect(http.t.auth.sessionEvents.size).toBe(MAX_WATCHES_PER_SESSION);

    // Still serving, and the surviving streams still hear the session end.
    expect((await http.get("auth.me", bearer(first))).status).toBe(200);
    expect((await http.post("auth.logout", { everywhere: true }, bearer(second))).status).toBe(200);
    await vi.waitFor(() => expect(outcomes.length).toBe(120), { timeout: 20_000 });
    const ended = { events: [{ type: "session_ended", reason: "logout_everywhere" }], error: null };
    expect(outcomes.slice(120 - MAX_WATCHES_PER_SESSION)).toEqual(Array.from({ length: MAX_WATCHES_PER_SESSION }, () => ended));
    expect(http.t.auth.sessionEvents.size).toBe(0);
  });
});

describe("auth.sessionEvents: streams per instance (AUTH_EVENT_STREAMS_MAX)", () => {
  const busy = useHttp({ eventStreamsMax: 2 });

  it("refuses a stream past the bound with SERVER_BUSY (503, retryAfter), closing none, and takes one once a slot frees", async () => {
    const [a, b, c] = [await busy.register(), await busy.register(), await busy.register()];
    const open = [subscribe(busy.url(), a.accessToken), subscribe(busy.url(), b.accessToken)];
    await Promise.all(open.map((stream) => stream.started));

    // Raw, as tRPC's own SSE client treats a 503 as transient and reconnects by itself.
    const response = await fetch(`${busy.url()}/auth.sessionEvents`, { headers: bearer(c.accessToken) });
    const text = await response.text();
    const error = /event: serialized-error\ndata: (.*)\n/.exec(text)?.[1] ?? "null";
    expect(JSON.parse(error)).toMatchObject({ data: { authCode: "SERVER_BUSY", httpStatus: 503, retryAfter: 5 } });
    expect(busy.t.auth.sessionEvents.size).toBe(2);

    open[0]?.unsubscribe();
    await vi.waitFor(() => expect(busy.t.auth.sessionEvents.size).toBe(1), { timeout: 10_000 });
    const third = subscribe(busy.url(), c.accessToken);
    await third.started;
    expect(busy.t.auth.sessionEvents.size).toBe(2);
    third.unsubscribe();
    open[1]?.unsubscribe();
  });
});

describe("watchSessionEnd refused", () => {
  it("holds nothing once the instance refused the watch: no timer until the token's expiry", () => {
    const full: SessionEvents = {
      size: 0,
      watch: () => {
        throw new AuthError("SERVER_BUSY", "Too many session-event streams.", { retryAfter: 5 });
      },
    };
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const session = { id: randomUUID(), userId: randomUUID() };
      expect(() => watchSessionEnd(full, session, { expiresInMs: 3_600_000, signal: undefined })).toThrow(
        expect.objectContaining({ code: "SERVER_BUSY" }),
      );
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
