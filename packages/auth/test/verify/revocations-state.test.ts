// The verifier's revocation feed when things go wrong: a stale feed fails closed (or open, when
// asked), the state stays bounded, revocations expire, and close() stops the polling.
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startJWKSServer, type TestJWKSServer } from "../../src/testing/jwks-server.ts";
import { createTestClock } from "../../src/testing/test-clock.ts";
import { createTestSigningKey, signTestAccessToken, type TestSigningKey } from "../../src/testing/test-signing-key.ts";
import { createVerifier, type RevocationOptions, type Verifier } from "../../src/verify/index.ts";
import { codeOf } from "../codes.ts";
import { sessionRevoked, signSET, startTestTransmitter, type TestTransmitter } from "./test-transmitter.ts";

const clock = createTestClock();
const CREDENTIAL = "ser_test-receiver-credential-0123456789abcdef";
let key: TestSigningKey;
let jwks: TestJWKSServer;
let feed: TestTransmitter;
const open: Verifier[] = [];
const warnings: string[] = [];

beforeAll(async () => {
  key = await createTestSigningKey("ES256");
  jwks = await startJWKSServer([key.publicJwk]);
  feed = await startTestTransmitter({ credential: CREDENTIAL });
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((verifier) => verifier.close()));
  warnings.length = 0;
  clock.reset();
  feed.mode = "ok";
});
afterAll(async () => {
  await Promise.all([feed.close(), jwks.close()]);
});

const nowSeconds = () => clock.now().getTime() / 1000;
const token = (claims: Record<string, unknown> = {}, options: { now?: Date; ttl?: number } = {}) =>
  signTestAccessToken(key, { now: options.now ?? clock.now(), ttl: options.ttl, claims });

function verifierOn(revocations: Partial<RevocationOptions> = {}): Verifier {
  const verifier = createVerifier({
    jwksUrl: jwks.url,
    issuer: "bearer-kit",
    audience: "bearer-kit",
    now: clock.now,
    revocations: { url: feed.url, credential: CREDENTIAL, onWarning: (message) => warnings.push(message), ...revocations },
  });
  open.push(verifier);
  return verifier;
}

async function current(verifier: Verifier): Promise<Verifier> {
  await expect.poll(async () => codeOf(verifier.verify(await token())), { timeout: 5000 }).toBeUndefined();
  return verifier;
}

async function deliver(sub: string, sid: string, at: number): Promise<void> {
  const jti = randomUUID();
  feed.queue(jti, await signSET(key, { jti, ...sessionRevoked(sub, sid, at) }));
  await feed.settled(jti);
}

/** A port nothing listens on: taken from the OS, then released. */
async function deadURL(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/api/security-events/poll`;
}

describe("revocations: when the feed is unreachable", () => {
  it("fails closed with REVOCATION_UNAVAILABLE before the feed was ever reached; failOpen accepts", async () => {
    const url = await deadURL();
    const closed = verifierOn({ url });
    expect(await codeOf(closed.verify(await token()))).toBe("REVOCATION_UNAVAILABLE");
    const lenient = verifierOn({ url, failOpen: true });
    await expect(lenient.verify(await token())).resolves.toBeTruthy();
    // A bad token is still a bad token, whatever the feed's state.
    expect(await codeOf(closed.verify("a.b.c"))).toBe("TOKEN_INVALID");
    await expect.poll(() => warnings.join("\n")).toMatch(/revocation feed failed/);
  });

  it("fails closed once no poll has succeeded for longer than maxStaleness, and recovers when the feed answers again", async () => {
    const verifier = await current(verifierOn({ maxStaleness: "60s" }));
    const lenient = await current(verifierOn({ maxStaleness: "60s", failOpen: true }));
    const [sub, sid] = [randomUUID(), randomUUID()];
    await deliver(sub, sid, nowSeconds());

    feed.mode = "error";
    const polls = feed.polls;
    await expect.poll(() => feed.polls, { timeout: 5000 }).toBeGreaterThan(polls + 1);
    clock.advance(60);
    await expect(verifier.verify(await token())).resolves.toBeTruthy();
    clock.advance(1);
    expect(await codeOf(verifier.verify(await token()))).toBe("REVOCATION_UNAVAILABLE");
    await expect(lenient.verify(await token())).resolves.toBeTruthy();
    // What it knows to be revoked it still refuses, stale or not, fail-open or not.
    expect(await codeOf(verifier.verify(await token({ sub, sid })))).toBe("SESSION_REVOKED");
    expect(await codeOf(lenient.verify(await token({ sub, sid })))).toBe("SESSION_REVOKED");
    expect(warnings.join("\n")).toMatch(/revocation feed failed \(HTTP 503\)/);

    feed.mode = "ok";
    await current(verifier);
    expect(warnings.join("\n")).toMatch(/answers again/);
  });

  it("fails closed when the feed refuses the credential, and says why", async () => {
    const verifier = verifierOn({ credential: "ser_not-a-registered-receiver-0123456789" });
    await expect.poll(() => warnings.join("\n"), { timeout: 5000 }).toMatch(/HTTP 401.*receiver credential/);
    expect(await codeOf(verifier.verify(await token()))).toBe("REVOCATION_UNAVAILABLE");
    expect(warnings.join("\n")).not.toContain("ser_not-a-registered");
  });

  it("close() stops polling, the poll in flight included", async () => {
    const verifier = await current(verifierOn());
    await verifier.close();
    const polls = feed.polls;
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(feed.polls).toBe(polls);
    // Without revocations there is nothing to stop.
    await expect(createVerifier({ jwks: { keys: [key.publicJwk] }, issuer: "bearer-kit", audience: "bearer-kit" }).close()).resolves.toBeUndefined();
  });
});

describe("revocations: state", () => {
  it("is bounded by maxEntries: the revocation expiring soonest goes first", async () => {
    const verifier = await current(verifierOn({ maxEntries: 2 }));
    const issued = new Date(clock.now().getTime() - 100_000);
    const sessions = [30, 20, 10].map((ago) => ({ sub: randomUUID(), sid: randomUUID(), at: nowSeconds() - ago }));
    for (const { sub, sid, at } of sessions) await deliver(sub, sid, at);

    const codes = await Promise.all(sessions.map(async ({ sub, sid }) => codeOf(verifier.verify(await token({ sub, sid }, { now: issued, ttl: 200_000 })))));
    expect(codes).toEqual([undefined, "SESSION_REVOKED", "SESSION_REVOKED"]);
    expect(warnings.join("\n")).toMatch(/maxEntries 2/);
  });

  it("forgets a revocation after maxTokenLifetime (plus the leeway), when no token it refuses can be valid", async () => {
    // failOpen: the clock jumps ahead of the feed's last poll, which must not be what is tested.
    const verifier = await current(verifierOn({ maxTokenLifetime: "10m", failOpen: true }));
    const [sub, sid] = [randomUUID(), randomUUID()];
    // A token living longer than maxTokenLifetime says (a misconfiguration): shows the forgetting.
    const long = await token({ sub, sid }, { ttl: 3600 });
    await deliver(sub, sid, nowSeconds());
    clock.advance(600 + 60 - 1);
    expect(await codeOf(verifier.verify(long))).toBe("SESSION_REVOKED");
    clock.advance(2);
    await expect(verifier.verify(long)).resolves.toMatchObject({ sid });
  });

  it("ignores a revocation too old to refuse any live token", async () => {
    const verifier = await current(verifierOn({ maxTokenLifetime: "10m", maxEntries: 1 }));
    const [sub, sid] = [randomUUID(), randomUUID()];
    await deliver(sub, sid, nowSeconds());
    await deliver(randomUUID(), randomUUID(), nowSeconds() - 3600);
    // The old one took no room: the recent one is still held.
    expect(await codeOf(verifier.verify(await token({ sub, sid })))).toBe("SESSION_REVOKED");
    expect(warnings.join("\n")).not.toMatch(/maxEntries/);
  });
});

describe("revocations: options", () => {
  const base = { jwksUrl: "https://issuer.example/.well-known/jwks.json", issuer: "bearer-kit", audience: "bearer-kit" };
  const feedAt = { url: "https://issuer.example/api/security-events/poll", credential: "ser_secret-credential-value" };
  it.each([
    ["a relative feed URL", { ...feedAt, url: "/api/security-events/poll" }, /revocations\.url/],
    ["a non-http feed URL", { ...feedAt, url: "file:///poll" }, /revocations\.url/],
    ["an empty credential", { ...feedAt, credential: "" }, /revocations\.credential/],
    ["a maxStaleness under 30 s (the feed holds a poll 25 s)", { ...feedAt, maxStaleness: "10s" }, /maxStaleness.*at least 30 seconds/],
    ["a maxTokenLifetime over a day", { ...feedAt, maxTokenLifetime: "2d" }, /maxTokenLifetime/],
    ["a maxEntries of 0", { ...feedAt, maxEntries: 0 }, /maxEntries/],
  ])("refuses %s with a TypeError naming the option, never the credential", (_, revocations, message) => {
    expect(() => createVerifier({ ...base, revocations } as never)).toThrow(TypeError);
    expect(() => createVerifier({ ...base, revocations } as never)).toThrow(message);
    expect(() => createVerifier({ ...base, revocations } as never)).not.toThrow(/secret-credential/);
  });
});
