import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  createTestDPoPProver,
  createTestSigningKey,
  signTestAccessToken,
  type TestDPoPProver,
  type TestSigningKey,
} from "@bearer-kit/auth/testing";
import { createVerifier } from "@bearer-kit/auth/verify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type NotesDatabase } from "../src/database.ts";
import { loadNotesEnv } from "../src/env.ts";
import { createNotesListener } from "../src/http/create-notes-listener.ts";
import { createNoteStore } from "../src/note-store.ts";
import { notesPublicURL } from "../src/notes-verifier.ts";
import { createNotesTestDatabase } from "./notes-test-database.ts";

const WEB = "http://localhost:3000";
// Where clients reach the service: what proofs name, whatever address the test connects to.
const PUBLIC = "https://notes.example/api";
const INVALID_PROOF = 'DPoP error="invalid_dpop_proof", algs="ES256 ES384 EdDSA RS256 PS256"';

let database: NotesDatabase;
let issuer: TestSigningKey;
let alice: TestDPoPProver;
const servers: Server[] = [];

async function serve(requireNonce: boolean): Promise<string> {
  const verifier = createVerifier({ jwks: { keys: [issuer.publicJwk] }, issuer: "bearer-kit", audience: "bearer-kit", dpop: { requireNonce } });
  const server = createServer(createNotesListener({ verifier, store: createNoteStore(database.db), allowedOrigin: WEB, publicUrl: `${PUBLIC}/` }));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let base: string;
let nonced: string;

beforeAll(async () => {
  [issuer, alice, database] = await Promise.all([createTestSigningKey("ES256"), createTestDPoPProver(), createNotesTestDatabase()]);
  [base, nonced] = await Promise.all([serve(false), serve(true)]);
});
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await database.close();
});

const bound = (prover: TestDPoPProver, sub = crypto.randomUUID()) => signTestAccessToken(issuer, { claims: { sub, cnf: { jkt: prover.jkt } } });

async function call(server: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  const response = await fetch(`${server}/notes`, { method: init.method ?? "GET", headers: init.headers, body: init.body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : null) as Record<string, unknown> };
}

const authCode = (result: Awaited<ReturnType<typeof call>>) => (result.body.error as { data: { authCode: string } } | undefined)?.data.authCode;

describe("notes: DPoP-bound tokens", () => {
  it("serves a bound token with a proof naming its public URL, for GET and POST", async () => {
    const token = await bound(alice);
    const headers = async (method: string) => ({
      authorization: `DPoP ${token}`,
      dpop: await alice.proof({ method, url: `${PUBLIC}/notes`, accessToken: token }),
    });
    const added = await call(base, { method: "POST", headers: { ...(await headers("POST")), "content-type": "application/json" }, body: '{"text":"bound"}' });
    expect(added.status).toBe(201);
    const listed = await call(base, { headers: await headers("GET") });
    expect(listed.status).toBe(200);
    expect(listed.body.notes).toMatchObject([{ text: "bound" }]);
  });

  it("refuses the bound token sent as Bearer, even with its proof", async () => {
    const token = await bound(alice);
    const dpop = await alice.proof({ url: `${PUBLIC}/notes`, accessToken: token });
    const attempts: Record<string, string>[] = [{ authorization: `Bearer ${token}` }, { authorization: `Bearer ${token}`, dpop }];
    for (const headers of attempts) {
      const refused = await call(base, { headers });
      expect(refused.status).toBe(401);
      expect(authCode(refused)).toBe("TOKEN_INVALID");
      expect(refused.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
    }
  });

  it("refuses a missing proof, another key's, a replay, and one for the Host it was sent to", async () => {
    const token = await bound(alice);
    const mallory = await createTestDPoPProver();
    const replayed = await alice.proof({ url: `${PUBLIC}/notes`, accessToken: token });
    expect((await call(base, { headers: { authorization: `DPoP ${token}`, dpop: replayed } })).status).toBe(200);
    const cases = [
      undefined,
      replayed,
      await mallory.proof({ url: `${PUBLIC}/notes`, accessToken: token }),
      // The address the request really went to: the service compares against its public URL only.
      await alice.proof({ url: `${base}/notes`, accessToken: token }),
      await alice.proof({ method: "POST", url: `${PUBLIC}/notes`, accessToken: token }),
      await alice.proof({ url: `${PUBLIC}/notes`, accessToken: token, omitAth: true }),
    ];
    for (const dpop of cases) {
      const headers: Record<string, string> = { authorization: `DPoP ${token}` };
      if (dpop !== undefined) headers.dpop = dpop;
      const refused = await call(base, { headers });
      expect(refused.status).toBe(401);
      expect(authCode(refused)).toBe("DPOP_PROOF_INVALID");
      expect(refused.headers.get("www-authenticate")).toBe(INVALID_PROOF);
    }
  });

  it("refuses an unbound token sent with the DPoP scheme, challenging in that scheme", async () => {
    const token = await signTestAccessToken(issuer);
    const refused = await call(base, { headers: { authorization: `DPoP ${token}`, dpop: await alice.proof({ url: `${PUBLIC}/notes`, accessToken: token }) } });
    expect(refused.status).toBe(401);
    expect(authCode(refused)).toBe("TOKEN_INVALID");
    expect(refused.headers.get("www-authenticate")).toMatch(/^DPoP error="invalid_token"/);
  });

  it("with nonces on: 401 use_dpop_nonce with a DPoP-Nonce, then the retry carrying it passes", async () => {
    const token = await bound(alice);
    const first = await call(nonced, { headers: { authorization: `DPoP ${token}`, dpop: await alice.proof({ url: `${PUBLIC}/notes`, accessToken: token }) } });
    expect(first.status).toBe(401);
    expect(authCode(first)).toBe("DPOP_NONCE_REQUIRED");
    expect(first.headers.get("www-authenticate")).toMatch(/^DPoP error="use_dpop_nonce"/);
    const nonce = first.headers.get("dpop-nonce") ?? "";
    expect(nonce).not.toBe("");
    const retry = await call(nonced, { headers: { authorization: `DPoP ${token}`, dpop: await alice.proof({ url: `${PUBLIC}/notes`, accessToken: token, nonce }) } });
    expect(retry.status).toBe(200);
  });

  it("lets the web app send the DPoP header and read DPoP-Nonce across origins", async () => {
    const preflight = await call(base, {
      method: "OPTIONS",
      headers: { origin: WEB, "access-control-request-method": "GET", "access-control-request-headers": "authorization, dpop" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-headers")).toContain("DPoP");
    const refused = await call(base, { headers: { origin: WEB } });
    expect(refused.headers.get("access-control-expose-headers")).toContain("DPoP-Nonce");
  });
});

describe("notesPublicURL", () => {
  it("is NOTES_URL (path prefix kept, trailing slash dropped), else localhost on NOTES_PORT", () => {
    expect(notesPublicURL(loadNotesEnv({ NOTES_PORT: "4001" }))).toBe("http://localhost:4001");
    expect(notesPublicURL(loadNotesEnv({ NOTES_URL: "https://notes.example/" }))).toBe("https://notes.example");
    expect(notesPublicURL(loadNotesEnv({ NOTES_URL: "https://b.example/notes-api/" }))).toBe("https://b.example/notes-api");
  });
});
