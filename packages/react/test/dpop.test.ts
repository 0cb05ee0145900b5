// DPoP in the browser session: every request proves possession of one key per browser, shared
// by its tabs and deleted at sign-out, and the server binds the session to it. Real HTTP against
// the real API, which knows itself as the app's origin (proofs sign the URL they call).
import { createHash } from "node:crypto";
import { createDPoPKeyPair, createDPoPProver } from "@bearer-kit/auth/client";
import { base64url, calculateJwkThumbprint, decodeJwt, EmbeddedJWK, jwtVerify } from "jose";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { DPoPKeyStore, SessionControls, SignedInSession } from "../src/client.ts";
import { createMemoryKeyStore } from "../src/dpop/memory-key-store.ts";
import { type Browser, createBrowser } from "./browser.ts";
import { type Fixture, signedInUser, useLiveApi } from "./fixture.ts";

const t = useLiveApi({ appOrigin: "api" });
const withNonces = useLiveApi({ appOrigin: "api", dpop: { nonce: true } });

// Proofs carry this machine's time, which the server's test clock must be near (the proof window).
beforeEach(() => {
  for (const fixture of [t, withNonces]) fixture.api().clock.set(new Date());
});

/** The DPoP proof of the last request to `path`, verified with its own embedded key. */
async function lastProof(browser: Browser, path: string) {
  const proof = browser.lastHeaders(path)?.get("dpop");
  if (!proof) throw new Error(`no DPoP proof on ${path}`);
  const { payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, { typ: "dpop+jwt", algorithms: ["ES256"] });
  return { payload, jkt: await calculateJwkThumbprint(protectedHeader.jwk ?? {}, "sha256") };
}

const ath = (token: string) => base64url.encode(createHash("sha256").update(token, "ascii").digest());

/** The token and scheme of a signed-in session. */
function held(session: Pick<SessionControls, "getSession">): SignedInSession {
  const current = session.getSession();
  if (current.status !== "signed-in") throw new Error(`expected a session, got ${current.status}`);
  return current;
}

/** A key store in memory that counts its deletions. */
function countingKeys(name: string): DPoPKeyStore & { deletions: number } {
  const memory = createMemoryKeyStore(name);
  const keys = {
    deletions: 0,
    get: () => memory.get(),
    async delete() {
      keys.deletions += 1;
      await memory.delete();
    },
  };
  return keys;
}

async function signedIn(fixture: Fixture, browser: Browser) {
  const tab = fixture.tab(browser, { dpop: {} });
  signedInUser(await tab.session.signIn(await fixture.api().createUser()));
  return tab;
}

describe("DPoP session", () => {
  it("sign-in sends a proof and gets a session bound to the browser's key; the refresh through the cookie proves it again", async () => {
    const browser = createBrowser();
    const { session } = await signedIn(t, browser);
    const signin = await lastProof(browser, "auth.signin");
    const bound = held(session);

    await session.refreshAccessToken(bound.accessToken);

    expect(bound.tokenType).toBe("DPoP");
    expect(decodeJwt(bound.accessToken).cnf).toEqual({ jkt: signin.jkt });
    for (const path of ["auth.signin", "auth.refresh"]) {
      const { payload, jkt } = await lastProof(browser, path);
      expect([payload.htm, payload.htu, jkt]).toEqual(["POST", `${t.api().url}/${path}`, signin.jkt]);
      expect(payload).not.toHaveProperty("ath");
    }
    expect(held(session).tokenType).toBe("DPoP");
    expect(held(session).accessToken).not.toBe(bound.accessToken);
  });

  it("calls send Authorization: DPoP with a proof that hashes the token", async () => {
    const browser = createBrowser();
    const { session, trpc } = await signedIn(t, browser);

    await trpc.auth.me.query();

    const { accessToken } = held(session);
    expect(browser.lastHeaders("auth.me")?.get("authorization")).toBe(`DPoP ${accessToken}`);
    const { payload } = await lastProof(browser, "auth.me");
    expect([payload.htm, payload.htu, payload.ath]).toEqual(["GET", `${t.api().url}/auth.me`, ath(accessToken)]);
  });

  it("fetchWithToken calls another endpoint with the token under its scheme and a proof for that URL", async () => {
    const browser = createBrowser();
    const { session } = await signedIn(t, browser);
    const url = `${t.api().url}/auth.me`;

    const response = await session.fetchWithToken(url, { method: "GET" });

    expect(response.status).toBe(200);
    const { accessToken } = held(session);
    expect(browser.lastHeaders("auth.me")?.get("authorization")).toBe(`DPoP ${accessToken}`);
    const { payload } = await lastProof(browser, "auth.me");
    expect([payload.htm, payload.htu, payload.ath]).toEqual(["GET", url, ath(accessToken)]);
  });

  it("the session-event stream is opened with the token and a GET proof of its own", async () => {
    const browser = createBrowser();
    const tab = await signedIn(t, browser);
    tab.start();

    await vi.waitFor(() => expect(browser.lastHeaders("auth.sessionEvents")?.has("dpop")).toBe(true), { timeout: 10_000 });

    const { accessToken } = held(tab.session);
    expect(browser.lastHeaders("auth.sessionEvents")?.get("authorization")).toBe(`DPoP ${accessToken}`);
    const { payload } = await lastProof(browser, "auth.sessionEvents");
    expect([payload.htm, payload.htu, payload.ath]).toEqual(["GET", `${t.api().url}/auth.sessionEvents`, ath(accessToken)]);
  });

  it("a copied token is refused as Bearer and with a proof of another key", async () => {
    const { session } = await signedIn(t, createBrowser());
    const { accessToken } = held(session);
    const url = `${t.api().url}/auth.me`;
    const thief = createDPoPProver(await createDPoPKeyPair());

    const asBearer = await fetch(url, { headers: { authorization: `Bearer ${accessToken}` } });
    const withOtherKey = await fetch(url, {
      headers: { authorization: `DPoP ${accessToken}`, dpop: await thief.proof({ method: "GET", url, accessToken }) },
    });

    expect(asBearer.status).toBe(401);
    expect(withOtherKey.status).toBe(401);
    expect(withOtherKey.headers.get("www-authenticate")).toMatch(/^DPoP /);
  });

  it("the refresh cookie alone does not refresh a bound session, and leaves it to its key", async () => {
    const browser = createBrowser();
    const { session, trpc } = await signedIn(t, browser);
    const user = held(session).user;

    const cookieOnly = await browser.fetch(`${t.api().url}/auth.refresh`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-auth-transport": "cookie" },
      body: "{}",
    });

    expect(cookieOnly.status).toBe(401);
    expect(await session.refreshAccessToken(held(session).accessToken)).toBe("refreshed");
    expect((await trpc.auth.me.query()).id).toBe(user.id);
  });

  it("a new tab (a reload) restores the bound session with the same key", async () => {
    const browser = createBrowser();
    const first = await signedIn(t, browser);
    const { jkt } = await lastProof(browser, "auth.signin");
    const reloaded = t.tab(browser, { dpop: {} });

    reloaded.start();

    await vi.waitFor(() => expect(reloaded.session.getSession().status).toBe("signed-in"), { timeout: 10_000 });
    expect(held(reloaded.session).tokenType).toBe("DPoP");
    expect((await lastProof(browser, "auth.refresh")).jkt).toBe(jkt);
    expect((await reloaded.trpc.auth.me.query()).id).toBe(held(first.session).user.id);
  });

  it("tabs of one browser prove with one key; another browser has its own", async () => {
    const browser = createBrowser();
    const other = createBrowser();
    const credentials = await t.api().createUser();

    await t.tab(browser, { dpop: {} }).session.signIn(credentials);
    const first = await lastProof(browser, "auth.signin");
    await t.tab(browser, { dpop: {} }).session.signIn(credentials);
    const second = await lastProof(browser, "auth.signin");
    await t.tab(other, { dpop: {} }).session.signIn(credentials);

    expect(second.jkt).toBe(first.jkt);
    expect((await lastProof(other, "auth.signin")).jkt).not.toBe(first.jkt);
  });

  it("sign-out deletes the key, and the next sign-in, in any tab, proves with a new one", async () => {
    const browser = createBrowser();
    const keys = countingKeys(browser.name);
    const a = t.tab(browser, { dpop: { keys } });
    const b = t.tab(browser, { dpop: { keys } });
    a.start();
    b.start();
    await vi.waitFor(() => expect(b.session.getSession().status).toBe("signed-out"), { timeout: 10_000 });
    const credentials = await t.api().createUser();
    await a.session.signIn(credentials);
    const before = await lastProof(browser, "auth.signin");
    await vi.waitFor(() => expect(b.session.getSession().status).toBe("signed-in"), { timeout: 10_000 });
    // Tab b reads the key now, so the sign-out must make it drop its copy.
    await b.trpc.auth.me.query();

    await a.session.signOut();
    await vi.waitFor(() => expect(b.session.getSession().status).toBe("signed-out"), { timeout: 10_000 });
    await b.session.signIn(credentials);

    expect(keys.deletions).toBe(1);
    expect((await lastProof(browser, "auth.signin")).jkt).not.toBe(before.jkt);
    expect(decodeJwt(held(b.session).accessToken).cnf).toEqual({ jkt: (await lastProof(browser, "auth.signin")).jkt });
  });

  it("with server nonces, a call refused for want of one is sent once more with it, and later calls carry the latest", async () => {
    const browser = createBrowser();
    const { session, trpc } = await signedIn(withNonces, browser);

    expect(browser.calls("auth.signin")).toBe(2);
    expect(held(session).tokenType).toBe("DPoP");
    const before = browser.calls("auth.me");
    await trpc.auth.me.query();
    expect(browser.calls("auth.me") - before).toBe(1);
    expect((await lastProof(browser, "auth.me")).payload.nonce).toEqual(expect.any(String));
  });

  it("is off by default: no request carries a proof and the session stays Bearer", async () => {
    const browser = createBrowser();
    const { session, trpc } = t.tab(browser);
    await session.signIn(await t.api().createUser());
    await trpc.auth.me.query();
    expect(browser.lastHeaders("auth.signin")?.has("dpop")).toBe(false);
    expect(held(session).tokenType).toBe("Bearer");
    expect(browser.lastHeaders("auth.me")?.get("authorization")).toBe(`Bearer ${held(session).accessToken}`);
  });
});
