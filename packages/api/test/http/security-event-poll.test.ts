// POST /api/security-events/poll over real HTTP: receiver authentication, the RFC 8936 body and
// answers, SETs verified with jose against the app's JWKS, and the long poll.
import { createLocalJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSecurityEventPollHandler } from "../../src/index.ts";
import { email, PASSWORD, useApi } from "../fixture.ts";
import { startServer, type TestServer } from "../http-server.ts";

const t = useApi();
let server: TestServer | undefined;
let names = 0;

beforeAll(async () => {
  const handler = createSecurityEventPollHandler(async () => t.auth, { waitMs: 400 });
  server = await startServer((req) => handler(req));
});
afterAll(async () => {
  await server?.close();
});

const url = () => `${server?.origin ?? ""}/api/security-events/poll`;

function post(credential: string | null, body: unknown, init: RequestInit = {}): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (credential !== null) headers.authorization = `Bearer ${credential}`;
  return fetch(url(), { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body), ...init });
}

async function receiver(): Promise<{ name: string; credential: string }> {
  names += 1;
  const name = `http-${names}`;
  const { credential } = await t.auth.securityEventFeed.receivers.add(name);
  return { name, credential };
}

async function sessionEnded(): Promise<{ userId: string; sessionId: string }> {
  const { user, session } = await t.auth.register({ email: email("poll"), password: PASSWORD, name: "Ann" });
  await t.auth.logout(session);
  return { userId: user.id, sessionId: session.id };
}

interface PollBody {
  sets: Record<string, string>;
  moreAvailable: boolean;
}

describe("security event poll over HTTP", () => {
  it("hands out verifiable SETs, redelivers them until acknowledged, and takes the ack", async () => {
    const { name, credential } = await receiver();
    const { userId, sessionId } = await sessionEnded();
    const response = await post(credential, { returnImmediately: true });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const { sets, moreAvailable } = (await response.json()) as PollBody;
    expect(moreAvailable).toBe(false);
    const [[jti, token]] = Object.entries(sets) as [[string, string]];
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(await t.auth.keys.jwks()), {
      typ: "secevent+jwt",
      issuer: "bearer-kit",
      audience: name,
    });
    expect(protectedHeader.typ).toBe("secevent+jwt");
    expect(payload).toMatchObject({
      jti,
      sub_id: { format: "complex", user: { id: userId }, session: { id: sessionId } },
      events: { "https://schemas.openid.net/secevent/caep/event-type/session-revoked": { reason_admin: { en: "logout" } } },
    });
    expect(typeof payload.iat).toBe("number");
    // Unacknowledged: again. Acknowledged: gone.
    expect(Object.keys(((await (await post(credential, { returnImmediately: true })).json()) as PollBody).sets)).toEqual([jti]);
    const acked = await post(credential, { ack: [jti], returnImmediately: true });
    expect(await acked.json()).toEqual({ sets: {}, moreAvailable: false });
  });

  it("one receiver's ack leaves another's queue alone", async () => {
    const [a, b] = [await receiver(), await receiver()];
    await sessionEnded();
    const [jti] = Object.keys(((await (await post(a.credential, { returnImmediately: true })).json()) as PollBody).sets);
    await post(a.credential, { ack: [jti], maxEvents: 0 });
    expect(Object.keys(((await (await post(b.credential, { returnImmediately: true })).json()) as PollBody).sets)).toEqual([jti]);
  });

  it("refuses a missing, unknown or removed receiver's credential with 401 and a Bearer challenge", async () => {
    const { name, credential } = await receiver();
    const missing = await post(null, {});
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="security-events"');
    expect(await missing.json()).toMatchObject({ err: "authentication_failed" });
    const unknown = await post(`ser_${"A".repeat(43)}`, {});
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get("www-authenticate")).toMatch(/^Bearer realm="security-events"/);
    expect((await post(credential, { returnImmediately: true })).status).toBe(200);
    expect(await t.auth.securityEventFeed.receivers.remove(name)).toBe(true);
    const removed = await post(credential, { returnImmediately: true });
    expect(removed.status).toBe(401);
  });

  it("answers 400 invalid_request for a bad body, and 405 for another method", async () => {
    const { credential } = await receiver();
    for (const body of ["{", "[]", { maxEvents: 1001 }, { maxEvents: -1 }, { ack: "x" }, { returnImmediately: "yes" }, { ack: [1] }]) {
      const response = await post(credential, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(await response.json()).toMatchObject({ err: "invalid_request", description: expect.any(String) });
    }
    const large = await post(credential, { ack: Array.from({ length: 1000 }, () => "x".repeat(64)), pad: "y".repeat(70_000) });
    expect(large.status).toBe(400);
    const get = await fetch(url(), { headers: { authorization: `Bearer ${credential}` } });
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
  });

  it("long-polls: answers empty at the timeout, and at once when an event is queued meanwhile", async () => {
    const { credential } = await receiver();
    const started = performance.now();
    const empty = await post(credential, {});
    expect(await empty.json()).toEqual({ sets: {}, moreAvailable: false });
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);

    const slow = createSecurityEventPollHandler(t.auth, { waitMs: 20_000 });
    const request = (body: unknown) =>
      new Request(url(), { method: "POST", headers: { authorization: `Bearer ${credential}` }, body: JSON.stringify(body) });
    const waiting = slow(request({}));
    await new Promise((resolve) => setTimeout(resolve, 150));
    const woke = performance.now();
    await sessionEnded();
    const body = (await (await waiting).json()) as PollBody;
    expect(Object.keys(body.sets)).toHaveLength(1);
    expect(performance.now() - woke).toBeLessThan(5000);
  });

  it("answers 503 unavailable under HS*", async () => {
    const { credential } = await receiver();
    const { createAuth } = await import("@bearer-kit/auth");
    const { TEST_SECRET } = await import("@bearer-kit/auth/testing");
    const hs = createAuth({ db: t.database.db, secret: TEST_SECRET, algorithm: "HS256" });
    const response = await createSecurityEventPollHandler(hs)(
      new Request(url(), { method: "POST", headers: { authorization: `Bearer ${credential}` }, body: "{}" }),
    );
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ err: "unavailable" });
    await hs.close();
  });
});
