// DPoP in the browser session: every request proves possession of one key per browser, shared
// by its tabs and deleted at sign-out. Real HTTP against the real API.
import { calculateJwkThumbprint, EmbeddedJWK, jwtVerify } from "jose";
import { describe, expect, it, vi } from "vitest";
import type { DPoPKeyStore } from "../src/client.ts";
import { createMemoryKeyStore } from "../src/dpop/memory-key-store.ts";
import { type Browser, createBrowser } from "./browser.ts";
import { signedInUser, useLiveApi } from "./fixture.ts";

const t = useLiveApi();

/** The DPoP proof of the last request to `path`, verified with its own embedded key. */
async function lastProof(browser: Browser, path: string) {
  const proof = browser.lastHeaders(path)?.get("dpop");
  if (!proof) throw new Error(`no DPoP proof on ${path}`);
  const { payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, { typ: "dpop+jwt", algorithms: ["ES256"] });
  return { payload, jkt: await calculateJwkThumbprint(protectedHeader.jwk ?? {}, "sha256") };
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

describe("DPoP session", () => {
  it("sign-in and the refresh through the cookie carry a proof for their method and URL", async () => {
    const browser = createBrowser();
    const { session } = t.tab(browser, { dpop: {} });
    signedInUser(await session.signIn(await t.api().createUser()));
    await session.refreshAccessToken(session.getAccessToken());

    for (const path of ["auth.signin", "auth.refresh"]) {
      const { payload } = await lastProof(browser, path);
      expect(payload.htm).toBe("POST");
      expect(payload.htu).toBe(`${t.api().url}/${path}`);
      expect(payload).not.toHaveProperty("ath");
    }
  });

  it("calls send the token under the scheme the server gave it, with a proof that hashes a DPoP token", async () => {
    const browser = createBrowser();
    const { session, trpc } = t.tab(browser, { dpop: {} });
    signedInUser(await session.signIn(await t.api().createUser()));
    const signedIn = session.getSession();
    if (signedIn.status !== "signed-in") throw new Error("expected a session");

    await trpc.auth.me.query();

    const headers = browser.lastHeaders("auth.me");
    expect(headers?.get("authorization")).toBe(`${signedIn.tokenType} ${signedIn.accessToken}`);
    // A Bearer token (a server that bound nothing) goes as it is; a DPoP one only with its proof.
    if (signedIn.tokenType === "DPoP") expect((await lastProof(browser, "auth.me")).payload.ath).toEqual(expect.any(String));
    else expect(headers?.has("dpop")).toBe(false);
  });

  it("tabs of one browser prove with one key; another browser has its own", async () => {
    const browser = createBrowser();
    const a = t.tab(browser, { dpop: {} });
    const b = t.tab(browser, { dpop: {} });
    const other = createBrowser();
    const elsewhere = t.tab(other, { dpop: {} });
    const credentials = await t.api().createUser();

    await a.session.signIn(credentials);
    const first = await lastProof(browser, "auth.signin");
    await b.session.signIn(credentials);
    const second = await lastProof(browser, "auth.signin");
    await elsewhere.session.signIn(credentials);

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
    await vi.waitFor(() => expect(b.session.getSession().status).toBe("signed-out"));
    const credentials = await t.api().createUser();
    await a.session.signIn(credentials);
    const before = await lastProof(browser, "auth.signin");
    await vi.waitFor(() => expect(b.session.getSession().status).toBe("signed-in"));
    // Tab b reads the key now, so the sign-out must make it drop its copy.
    await b.trpc.auth.me.query();

    await a.session.signOut();
    await vi.waitFor(() => expect(b.session.getSession().status).toBe("signed-out"));
    await b.session.signIn(credentials);

    expect(keys.deletions).toBe(1);
    expect((await lastProof(browser, "auth.signin")).jkt).not.toBe(before.jkt);
  });

  it("is off by default: no request carries a proof", async () => {
    const browser = createBrowser();
    const { session, trpc } = t.tab(browser);
    await session.signIn(await t.api().createUser());
    await trpc.auth.me.query();
    expect(browser.lastHeaders("auth.signin")?.has("dpop")).toBe(false);
    expect(browser.lastHeaders("auth.me")?.get("authorization")).toMatch(/^Bearer /);
  });
});
