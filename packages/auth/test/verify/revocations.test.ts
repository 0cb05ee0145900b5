// The verifier with the issuer's revocation feed: it refuses what the SETs revoke, acknowledges
// what it handled, and ignores SETs that are forged or not for it, reporting them (setErrs).
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startJWKSServer, type TestJWKSServer } from "../../src/testing/jwks-server.ts";
import { createTestClock } from "../../src/testing/test-clock.ts";
import { createTestSigningKey, signTestAccessToken, type TestSigningKey } from "../../src/testing/test-signing-key.ts";
import { createVerifier, type Verifier, type VerifierOptions } from "../../src/verify/index.ts";
import { codeOf } from "../codes.ts";
import { credentialChange, SESSION_REVOKED, sessionRevoked, signSET, startTestTransmitter, type TestTransmitter } from "./test-transmitter.ts";

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

/** A verifier on the feed, already current (one poll answered) when returned. */
async function verifierOnFeed(revocations: Partial<NonNullable<VerifierOptions["revocations"]>> = {}): Promise<Verifier> {
  const verifier = createVerifier({
    jwksUrl: jwks.url,
    issuer: "bearer-kit",
    audience: "bearer-kit",
    now: clock.now,
    cooldown: "1s",
    revocations: { url: feed.url, credential: CREDENTIAL, onWarning: (message) => warnings.push(message), ...revocations },
  });
  open.push(verifier);
  await expect.poll(async () => codeOf(verifier.verify(await token())), { timeout: 5000 }).not.toBe("REVOCATION_UNAVAILABLE");
  return verifier;
}

function token(claims: Record<string, unknown> = {}, now = clock.now()): Promise<string> {
  return signTestAccessToken(key, { now, claims });
}

/** Queues a SET and waits until the verifier has acknowledged or reported it, so it has been handled. */
async function deliver(content: Parameters<typeof signSET>[1], overrides?: Parameters<typeof signSET>[2]): Promise<void> {
  feed.queue(content.jti, await signSET(key, content, overrides));
  await feed.settled(content.jti);
}

describe("revocations: session-revoked", () => {
  it("refuses a revoked session's token with SESSION_REVOKED, and acknowledges the SET", async () => {
    const verifier = await verifierOnFeed();
    const [sub, sid, otherSid] = [randomUUID(), randomUUID(), randomUUID()];
    const revoked = await token({ sub, sid });
    const other = await token({ sub, sid: otherSid });
    await expect(verifier.verify(revoked)).resolves.toMatchObject({ sid });

    const jti = randomUUID();
    await deliver({ jti, ...sessionRevoked(sub, sid, nowSeconds()) });
    expect(feed.acked).toContain(jti);
    expect(await codeOf(verifier.verify(revoked))).toBe("SESSION_REVOKED");
    // A token minted later for the same (dead) session is refused too; the user's other session is not.
    expect(await codeOf(verifier.verify(await token({ sub, sid }, new Date(clock.now().getTime() + 5000))))).toBe("SESSION_REVOKED");
    await expect(verifier.verify(other)).resolves.toMatchObject({ sid: otherSid });
  });

  it("delivers a batch larger than one poll (moreAvailable) and acknowledges all of it", async () => {
    const verifier = await verifierOnFeed();
    const sessions = Array.from({ length: 150 }, () => ({ sub: randomUUID(), sid: randomUUID(), jti: randomUUID() }));
    for (const { sub, sid, jti } of sessions) feed.queue(jti, await signSET(key, { jti, ...sessionRevoked(sub, sid, nowSeconds()) }));
    await Promise.all(sessions.map(({ jti }) => feed.settled(jti)));
    for (const { sub, sid } of [sessions.at(0), sessions.at(-1)].filter((session) => session !== undefined)) {
      expect(await codeOf(verifier.verify(await token({ sub, sid })))).toBe("SESSION_REVOKED");
    }
  });
});

describe("revocations: credential-change", () => {
  it("refuses the user's tokens issued before the change, and accepts one issued after it", async () => {
    const verifier = await verifierOnFeed();
    const sub = randomUUID();
    const before = await token({ sub }, new Date(clock.now().getTime() - 10_000));
    const bystander = await token({ sub: randomUUID() }, new Date(clock.now().getTime() - 10_000));
    await deliver({ jti: randomUUID(), ...credentialChange(sub, nowSeconds() - 0.5) });

    expect(await codeOf(verifier.verify(before))).toBe("SESSION_REVOKED");
    await expect(verifier.verify(bystander)).resolves.toBeTruthy();
    await expect(verifier.verify(await token({ sub }, new Date(clock.now().getTime() + 1000)))).resolves.toMatchObject({ sub });
  });

  it("gives a token from the change's own second the benefit of the doubt: iat has whole seconds", async () => {
    const verifier = await verifierOnFeed();
    const sub = randomUUID();
    const second = Math.floor(nowSeconds());
    // The change at x.7 s; a reset's new token signed at x.9 s says iat x.
    await deliver({ jti: randomUUID(), ...credentialChange(sub, second + 0.7) });
    await expect(verifier.verify(await token({ sub }, new Date(second * 1000 + 900)))).resolves.toMatchObject({ sub });
    expect(await codeOf(verifier.verify(await token({ sub }, new Date((second - 1) * 1000 + 900))))).toBe("SESSION_REVOKED");
  });

  it("keeps the latest change when an older one arrives after it", async () => {
    const verifier = await verifierOnFeed();
    const sub = randomUUID();
    await deliver({ jti: randomUUID(), ...credentialChange(sub, nowSeconds() - 2) });
    await deliver({ jti: randomUUID(), ...credentialChange(sub, nowSeconds() - 100) });
    expect(await codeOf(verifier.verify(await token({ sub }, new Date(clock.now().getTime() - 10_000))))).toBe("SESSION_REVOKED");
  });
});

describe("revocations: SETs that are not to be trusted", () => {
  it.each([
    ["another typ (an access token's)", { header: { typ: "at+jwt" } }, "invalid_request"],
    ["no typ", { header: { typ: undefined } }, "invalid_request"],
    ["another issuer", { claims: { iss: "someone-else" } }, "invalid_issuer"],
    ["a jti other than the one it was delivered under", { claims: { jti: "not-the-delivered-one" } }, "invalid_request"],
    ["no events", { claims: { events: undefined } }, "invalid_request"],
    ["an event without event_timestamp", { claims: { events: { [SESSION_REVOKED]: {} } } }, "invalid_request"],
    ["a session-revoked subject without a session", { claims: { sub_id: { format: "opaque", id: "someone" } } }, "invalid_request"],
    ["no kid", { header: { kid: undefined } }, "invalid_key"],
  ])("ignores a SET with %s, reports it in setErrs rather than leave it queued, and says so", async (_, overrides, err) => {
    const verifier = await verifierOnFeed();
    const [sub, sid, jti] = [randomUUID(), randomUUID(), randomUUID()];
    await deliver({ jti, ...sessionRevoked(sub, sid, nowSeconds()) }, overrides);

    await expect(verifier.verify(await token({ sub, sid }))).resolves.toMatchObject({ sid });
    expect(feed.reported.get(jti)).toMatchObject({ err, description: expect.any(String) });
    expect(feed.acked).not.toContain(jti);
    expect(warnings.join("\n")).toContain(jti);
  });

  it("ignores a SET signed by a key the JWKS does not hold but whose kid it claims (forged)", async () => {
    const verifier = await verifierOnFeed();
    const stranger = await createTestSigningKey("ES256");
    const [sub, sid, jti] = [randomUUID(), randomUUID(), randomUUID()];
    feed.queue(jti, await signSET(stranger, { jti, ...sessionRevoked(sub, sid, nowSeconds()) }, { header: { kid: key.kid } }));
    await feed.settled(jti);
    await expect(verifier.verify(await token({ sub, sid }))).resolves.toBeTruthy();
    expect(feed.reported.get(jti)).toMatchObject({ err: "invalid_key" });
    expect(warnings.join("\n")).toMatch(/signature/);
  });

  it("checks aud when the receiver's name is given", async () => {
    const verifier = await verifierOnFeed({ receiver: "notes" });
    const [sub, sid] = [randomUUID(), randomUUID()];
    const misaddressed = randomUUID();
    await deliver({ jti: misaddressed, ...sessionRevoked(sub, sid, nowSeconds()) }, { claims: { aud: "billing" } });
    await expect(verifier.verify(await token({ sub, sid }))).resolves.toBeTruthy();
    expect(feed.reported.get(misaddressed)).toMatchObject({ err: "invalid_audience" });
    await deliver({ jti: randomUUID(), ...sessionRevoked(sub, sid, nowSeconds()) });
    expect(await codeOf(verifier.verify(await token({ sub, sid })))).toBe("SESSION_REVOKED");
  });

  it("leaves a SET signed by a key the JWKS does not list yet unacknowledged, and takes it once the key is published", async () => {
    const verifier = await verifierOnFeed();
    const next = await createTestSigningKey("ES256");
    const [sub, sid, jti] = [randomUUID(), randomUUID(), randomUUID()];
    feed.queue(jti, await signSET(next, { jti, ...sessionRevoked(sub, sid, nowSeconds()) }));
    // Delivered and redelivered, never settled while the key is unknown.
    const polls = feed.polls;
    await expect.poll(() => feed.polls, { timeout: 5000 }).toBeGreaterThan(polls + 2);
    expect(feed.acked).not.toContain(jti);
    expect(feed.reported.has(jti)).toBe(false);

    jwks.keys = [key.publicJwk, next.publicJwk];
    await feed.settled(jti);
    expect(await codeOf(verifier.verify(await token({ sub, sid })))).toBe("SESSION_REVOKED");
    jwks.keys = [key.publicJwk];
  });
});
