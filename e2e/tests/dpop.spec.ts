// The demo on DPoP (RFC 9449): its session is bound to a non-extractable key in IndexedDB, so a
// token copied out of a request is refused anywhere else; reload keeps the key, sign-out deletes it.
import { createDPoPKeyPair, createDPoPProver } from "@bearer-kit/auth/client";
import { expect, type Page, type Request, test } from "@playwright/test";
import { calculateJwkThumbprint, decodeProtectedHeader } from "jose";
import { expectOnAccount, registerThroughUI, submitSignin } from "../support/auth-flows.ts";
import { newUser } from "../support/new-user.ts";

const isMeCall = (request: Request) => new URL(request.url()).pathname.split("/").at(-1)?.split(",").includes("auth.me") ?? false;

/**
 * The stored key as the page sees it: whether its private half is extractable, its algorithm, and
 * its public `x` to tell keys apart; `null` when IndexedDB `bk-dpop` holds none.
 */
function storedKey(page: Page): Promise<{ extractable: boolean; algorithm: string; x: string | undefined } | null> {
  return page.evaluate(async () => {
    // Opened only if the app made it: opening a missing database would create it without its store.
    if (!(await indexedDB.databases()).some((database) => database.name === "bk-dpop")) return null;
    const database = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open("bk-dpop");
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    try {
      const value = await new Promise<unknown>((resolve, reject) => {
        const request = database.transaction("keys").objectStore("keys").get("dpop");
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      if (typeof value !== "object" || value === null || !("privateKey" in value) || !("publicKey" in value)) return null;
      const { privateKey, publicKey } = value;
      if (!(privateKey instanceof CryptoKey) || !(publicKey instanceof CryptoKey)) return null;
      const { x } = await crypto.subtle.exportKey("jwk", publicKey);
      return { extractable: privateKey.extractable, algorithm: JSON.stringify(privateKey.algorithm), x };
    } finally {
      database.close();
    }
  });
}

/** The thumbprint of the key that signed `request`'s DPoP proof. */
async function proofKey(request: Request): Promise<string> {
  const proof = await request.headerValue("dpop");
  if (proof === null) throw new Error(`no DPoP proof on ${request.url()}`);
  return calculateJwkThumbprint(decodeProtectedHeader(proof).jwk ?? {}, "sha256");
}

/** Loads /account and returns its `auth.me` request. */
async function accountMeRequest(page: Page): Promise<Request> {
  const me = page.waitForRequest(isMeCall);
  await page.goto("/account");
  return me;
}

test("the demo runs on DPoP: auth.me carries Authorization: DPoP and a proof, and a copied token is refused elsewhere", async ({
  page,
  browser,
  baseURL,
}) => {
  const user = newUser();
  await registerThroughUI(page, user);

  const me = await accountMeRequest(page);
  await expectOnAccount(page, user);
  const headers = await me.allHeaders();
  expect(headers.authorization).toMatch(/^DPoP [\w-]+\.[\w-]+\.[\w-]+$/);
  expect(headers.dpop).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  const token = (headers.authorization ?? "").slice("DPoP ".length);

  // Replayed at once (tokens live 5 s here), so a refusal is the binding's, not the expiry's.
  const url = new URL("/api/trpc/auth.me", baseURL).href;
  const thief = createDPoPProver(await createDPoPKeyPair());
  const other = await browser.newContext();
  try {
    const [asBearer, withOtherKey] = await Promise.all([
      other.request.get(url, { headers: { authorization: `Bearer ${token}` } }),
      other.request.get(url, {
        headers: { authorization: `DPoP ${token}`, dpop: await thief.proof({ method: "GET", url, accessToken: token }) },
      }),
    ]);
    expect(asBearer.status()).toBe(401);
    expect((await asBearer.json()).error.data.authCode).toBe("TOKEN_INVALID");
    expect(withOtherKey.status()).toBe(401);
    expect((await withOtherKey.json()).error.data.authCode).toBe("DPOP_PROOF_INVALID");
    expect(withOtherKey.headers()["www-authenticate"]).toContain('error="invalid_dpop_proof"');
  } finally {
    await other.close();
  }
});

test("reload keeps the session: the key is in IndexedDB, unreadable, and proves the refresh", async ({ page }) => {
  const user = newUser();
  await registerThroughUI(page, user);
  expect(await storedKey(page)).toMatchObject({ extractable: false, algorithm: JSON.stringify({ name: "ECDSA", namedCurve: "P-256" }) });
  const before = await proofKey(await accountMeRequest(page));
  await expectOnAccount(page, user);

  const refresh = page.waitForResponse((response) => response.url().includes("/api/trpc/auth.refresh"));
  await page.reload();
  const refreshed = await refresh;
  await expectOnAccount(page, user);

  expect(refreshed.status()).toBe(200);
  expect(await proofKey(refreshed.request())).toBe(before);
  expect((await (await accountMeRequest(page)).allHeaders()).authorization).toMatch(/^DPoP /);
});

test("sign-out deletes the key: the next sign-in proves with a new one", async ({ page }) => {
  const user = newUser();
  await registerThroughUI(page, user);
  const before = await storedKey(page);
  expect(before?.x).toEqual(expect.any(String));

  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/signin$/);

  // The sign-in page's own calls (the passkey challenge) may already have made the next key.
  expect((await storedKey(page))?.x).not.toBe(before?.x);
  await submitSignin(page, user.email, user.password);
  await expectOnAccount(page, user);
  const after = await storedKey(page);
  expect(after?.x).toEqual(expect.any(String));
  expect(after?.x).not.toBe(before?.x);
});
