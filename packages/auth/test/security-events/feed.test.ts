// The Security Event Token feed through `auth.securityEventFeed`: SETs checked with jose against
// the app's own JWKS, the poll protocol (ack, redelivery, maxEvents), and the long poll.
import { createLocalJWKSet, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { recordSecurityEvent } from "../../src/database/security-event-log.ts";
import type { SecurityEventReceiver } from "../../src/security-events/receivers.ts";
import { createSecurityEventFeed } from "../../src/security-events/security-event-feed.ts";
import { CREDENTIAL_CHANGE_URI, SESSION_REVOKED_URI } from "../../src/security-events/security-event-token.ts";
import { email, PASSWORD, useAuth } from "../fixture.ts";

const t = useAuth({ throttle: { registerMaxPerIp: 100_000 } });
let receivers = 0;

async function receiver(): Promise<SecurityEventReceiver> {
  receivers += 1;
  return (await t.auth.securityEventFeed.receivers.add(`receiver-${receivers}`)).receiver;
}

async function signedUp() {
  return t.auth.register({ email: email("feed"), password: PASSWORD, name: "Ann" }, { ipAddress: "203.0.113.9", userAgent: "UA/1" });
}

const poll = (who: SecurityEventReceiver, options: Parameters<typeof t.auth.securityEventFeed.poll>[1] = {}) =>
  t.auth.securityEventFeed.poll(who, { returnImmediately: true, ...options });

async function verified(token: string, audience: string) {
  const jwks = createLocalJWKSet(await t.auth.keys.jwks());
  return jwtVerify(token, jwks, { typ: "secevent+jwt", issuer: "bearer-kit", audience, currentDate: t.clock.now() });
}

describe("security event tokens", () => {
  it("a session end is a CAEP session-revoked SET, signed by the current key and verified with the JWKS", async () => {
    const who = await receiver();
    const { user, session } = await signedUp();
    t.clock.advance(5);
    await t.auth.logout(session);
    const { sets, moreAvailable } = await poll(who);
    expect(moreAvailable).toBe(false);
    const [[jti, token]] = Object.entries(sets) as [[string, string]];
    const { payload, protectedHeader } = await verified(token, who.name);
    const [current] = (await t.auth.keys.jwks()).keys;
    expect(protectedHeader).toEqual({ alg: current?.alg, kid: current?.kid, typ: "secevent+jwt" });
    expect(payload).toEqual({
      iss: "bearer-kit",
      aud: who.name,
      iat: Math.floor(t.clock.now().getTime() / 1000),
      jti,
      sub_id: { format: "complex", user: { format: "opaque", id: user.id }, session: { format: "opaque", id: session.id } },
      events: { [SESSION_REVOKED_URI]: { event_timestamp: t.clock.now().getTime() / 1000, reason_admin: { en: "logout" } } },
    });
    // Not an access token: its type keeps it from passing as one, and the other way round.
    await expect(jwtVerify(token, createLocalJWKSet(await t.auth.keys.jwks()), { typ: "at+jwt" })).rejects.toThrow();
  });

  it("credential changes are CAEP credential-change SETs with the contract's credential and change types", async () => {
    const who = await receiver();
    const { user } = await signedUp();
    const at = new Date(t.clock.now().getTime() + 1234);
    const record = (type: Parameters<typeof recordSecurityEvent>[1]["type"], detail?: Record<string, unknown>) =>
      recordSecurityEvent(t.database.db, { userId: user.id, type, at, detail });
    const expected = new Map([
      [await record("password_changed"), { credential_type: "password", change_type: "update", reason_admin: { en: "password_changed" } }],
      [await record("password_reset"), { credential_type: "password", change_type: "update", reason_admin: { en: "password_reset" } }],
      [await record("email_changed"), { credential_type: "password", change_type: "update", reason_admin: { en: "email_changed" } }],
      [await record("second_factor_changed", { factor: "totp", change: "create" }), { credential_type: "app", change_type: "create", reason_admin: { en: "second_factor_changed" } }],
      [await record("second_factor_changed", { factor: "recovery_codes", change: "update" }), { credential_type: "app", change_type: "update", reason_admin: { en: "second_factor_changed" } }],
      [await record("second_factor_changed", { factor: "passkey", change: "delete" }), { credential_type: "fido2-platform", change_type: "delete", reason_admin: { en: "second_factor_changed" } }],
      [await record("account_deleted"), { credential_type: "password", change_type: "revoke", reason_admin: { en: "account_deleted" } }],
    ]);
    // Only for the user's eyes: never on the feed.
    await record("signin");
    await record("signin_throttled");
    await record("refresh_token_reused");
    const { sets } = await poll(who);
    expect(Object.keys(sets).sort()).toEqual([...expected.keys()].sort());
    for (const [jti, event] of expected) {
      const { payload } = await verified(sets[jti] ?? "", who.name);
      expect(payload.sub_id).toEqual({ format: "opaque", id: user.id });
      expect(payload.events).toEqual({ [CREDENTIAL_CHANGE_URI]: { event_timestamp: at.getTime() / 1000, ...event } });
    }
  });

  it("is unavailable under HS*, with FEED_UNAVAILABLE: receivers could not verify a secret-signed SET", async () => {
    const hs = t.withOptions({ algorithm: "HS256" });
    const who = await receiver();
    await expect(hs.securityEventFeed.poll(who, { returnImmediately: true })).rejects.toMatchObject({ code: "FEED_UNAVAILABLE" });
    await hs.close();
  });
});

describe("polling", () => {
  it("redelivers until acknowledged, oldest first, maxEvents at a time with moreAvailable", async () => {
    const who = await receiver();
    const { user } = await signedUp();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      t.clock.advance(1);
      ids.push(await recordSecurityEvent(t.database.db, { userId: user.id, type: "password_changed", at: t.clock.now() }));
    }
    const first = await poll(who, { maxEvents: 2 });
    expect(Object.keys(first.sets)).toEqual(ids.slice(0, 2));
    expect(first.moreAvailable).toBe(true);
    // Not acknowledged: handed out again.
    expect(Object.keys((await poll(who, { maxEvents: 2 })).sets)).toEqual(ids.slice(0, 2));
    const second = await poll(who, { ack: ids.slice(0, 2), maxEvents: 2 });
    expect(Object.keys(second.sets)).toEqual(ids.slice(2));
    expect(second.moreAvailable).toBe(false);
    // maxEvents 0 only acknowledges, and answers at once even as a long poll.
    expect(await t.auth.securityEventFeed.poll(who, { ack: ids.slice(2), maxEvents: 0 })).toEqual({ sets: {}, moreAvailable: false });
    expect((await poll(who)).sets).toEqual({});
  });

  it("an acknowledgement removes only the caller's delivery; another receiver still gets the event", async () => {
    const [a, b] = [await receiver(), await receiver()];
    const { session } = await signedUp();
    await t.auth.logout(session);
    const [jti] = Object.keys((await poll(a)).sets);
    expect(jti).toBeDefined();
    // b acknowledging for a (and junk that is not a jti) changes nothing of a's.
    await poll(b, { ack: [jti ?? "", "not-a-uuid", "00000000-0000-4000-8000-000000000000"], maxEvents: 0 });
    expect(Object.keys((await poll(a)).sets)).toEqual([jti]);
    await poll(a, { ack: [jti ?? ""], maxEvents: 0 });
    expect((await poll(a)).sets).toEqual({});
    expect((await poll(b)).sets).toEqual({});
    const c = await receiver();
    // A receiver hears what is queued after it was added.
    expect((await poll(c)).sets).toEqual({});
  });

  it("two polls of one receiver at once both hand out the event; neither loses it", async () => {
    const who = await receiver();
    const { session } = await signedUp();
    await t.auth.logout(session);
    const [one, two] = await Promise.all([poll(who), poll(who)]);
    expect(Object.keys(one.sets)).toHaveLength(1);
    expect(Object.keys(two.sets)).toEqual(Object.keys(one.sets));
  });

  it("refuses maxEvents outside 0..1000 with INVALID_INPUT", async () => {
    const who = await receiver();
    for (const maxEvents of [-1, 1001, 1.5]) await expect(poll(who, { maxEvents })).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });
});

describe("long polling", () => {
  it("with nothing queued, answers empty once waitMs is over", async () => {
    const who = await receiver();
    const started = performance.now();
    expect(await t.auth.securityEventFeed.poll(who, { waitMs: 300 })).toEqual({ sets: {}, moreAvailable: false });
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("answers as soon as an event is queued, not at the timeout", async () => {
    const who = await receiver();
    const { session } = await signedUp();
    const started = performance.now();
    const waiting = t.auth.securityEventFeed.poll(who, { waitMs: 20_000 });
    let answered = false;
    void waiting.then(() => (answered = true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(answered).toBe(false);
    await t.auth.logout(session);
    const { sets } = await waiting;
    expect(Object.keys(sets)).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it("an aborted long poll answers empty at once", async () => {
    const who = await receiver();
    const abort = new AbortController();
    const waiting = t.auth.securityEventFeed.poll(who, { waitMs: 20_000, signal: abort.signal });
    setTimeout(() => abort.abort(), 100);
    const started = performance.now();
    expect(await waiting).toEqual({ sets: {}, moreAvailable: false });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("without notifications (a client that cannot LISTEN), a waiting poll reads its queue again every second", async () => {
    const who = await receiver();
    const config = { db: t.database.db, now: t.clock.now, algorithm: "ES256" as const, issuer: "bearer-kit" };
    const deaf = createSecurityEventFeed({ config, keys: t.auth.keys, feed: null });
    const { session } = await signedUp();
    const waiting = deaf.poll(who, { waitMs: 20_000 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const ended = performance.now();
    await t.auth.logout(session);
    expect(Object.keys((await waiting).sets)).toHaveLength(1);
    expect(performance.now() - ended).toBeLessThan(3000);
    deaf.close();
  });

  it("closing the service ends its waiting polls at once", async () => {
    const other = t.withOptions({});
    const who = await receiver();
    const waiting = other.securityEventFeed.poll(who, { waitMs: 20_000 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closed = performance.now();
    await other.close();
    expect(await waiting).toEqual({ sets: {}, moreAvailable: false });
    expect(performance.now() - closed).toBeLessThan(2000);
  });
});
