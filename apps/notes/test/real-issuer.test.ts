import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type Auth, createAuth, createJwksHandler, type Database } from "@bearer-kit/auth";
import { createTestClock, createTestDatabase, TEST_PASSWORD, TEST_SECRET, uniqueEmail } from "@bearer-kit/auth/testing";
import { createVerifier } from "@bearer-kit/auth/verify";
import { decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { NotesDatabase } from "../src/database.ts";
import { createNotesListener } from "../src/http/create-notes-listener.ts";
import { createNoteStore } from "../src/note-store.ts";
import { createNotesTestDatabase } from "./notes-test-database.ts";

// The web app's part played by the real core: its database key set (ES256 by default) signs,
// and its own JWKS handler publishes, on a local port. Notes sees only that URL.
const clock = createTestClock();
let authDatabase: Database;
let notesDatabase: NotesDatabase;
let auth: Auth;
let issuer: Server;
let notes: Server;
let base: string;

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  [authDatabase, notesDatabase] = await Promise.all([createTestDatabase(), createNotesTestDatabase()]);
  auth = createAuth({ db: authDatabase.db, secret: TEST_SECRET, now: clock.now });
  const jwks = createJwksHandler(auth);
  issuer = createServer((req, res) => {
    void jwks(new Request(`http://issuer${req.url ?? "/"}`)).then(async (response) => {
      res.writeHead(response.status, Object.fromEntries(response.headers)).end(await response.text());
    });
  });
  const issuerUrl = await listen(issuer);
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(clock.now());
  const verifier = createVerifier({ jwksUrl: `${issuerUrl}/.well-known/jwks.json`, issuer: "bearer-kit", audience: "bearer-kit", cacheMaxAge: "30s", now: clock.now });
  notes = createServer(createNotesListener({ verifier, store: createNoteStore(notesDatabase.db), allowedOrigin: "http://localhost:3000", publicUrl: "http://notes.test" }));
  base = await listen(notes);
});
afterAll(async () => {
  vi.useRealTimers();
  for (const server of [notes, issuer]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await Promise.all([authDatabase.close(), notesDatabase.close()]);
});

const list = (token: string) => fetch(`${base}/notes`, { headers: { authorization: `Bearer ${token}` } });
const add = (token: string, text: string) =>
  fetch(`${base}/notes`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify({ text }) });
/** Moves the token clock and jose's cache clock together. */
const elapse = (seconds: number) => {
  clock.advance(seconds);
  vi.setSystemTime(clock.now());
};

describe("notes against the real issuer (core key set + createJwksHandler)", () => {
  it("accepts the ES256 tokens the core issues, stored under the user's id", async () => {
    const { accessToken, user } = await auth.register({ email: uniqueEmail(), password: TEST_PASSWORD, name: "Ann" });
    expect(decodeProtectedHeader(accessToken)).toMatchObject({ alg: "ES256", typ: "at+jwt", kid: expect.any(String) });
    expect((await add(accessToken, "from the real issuer")).status).toBe(201);
    const { notes: stored } = (await (await list(accessToken)).json()) as { notes: { text: string }[] };
    expect(stored.map((note) => note.text)).toEqual(["from the real issuer"]);
    expect((await auth.checkBearerToken(accessToken))?.id).toBe(user.id);
  });

  it("keeps old tokens valid across a rotation and accepts the new key's tokens with no refetch", async () => {
    const before = (await auth.register({ email: uniqueEmail(), password: TEST_PASSWORD, name: "Bo" })).accessToken;
    elapse(301); // `next` has been published for the cache age: rotation is allowed
    // A fresh fetch: the cache holds current and next, and the 30 s cooldown starts, so an
    // unknown kid now would be refused. The new key's tokens pass because it was published as next.
    expect((await list(before)).status).toBe(200);
    await auth.keys.rotate();
    const after = (await auth.register({ email: uniqueEmail(), password: TEST_PASSWORD, name: "Cy" })).accessToken;
    expect(decodeProtectedHeader(after).kid).not.toBe(decodeProtectedHeader(before).kid);
    expect((await list(after)).status).toBe(200);
    expect((await list(before)).status).toBe(200);
  });

  it("refuses a retired key's tokens once its cached JWKS is older than 30 s", async () => {
    const { accessToken } = await auth.register({ email: uniqueEmail(), password: TEST_PASSWORD, name: "Di" });
    expect((await list(accessToken)).status).toBe(200);
    const kid = decodeProtectedHeader(accessToken).kid ?? "";
    await auth.keys.retire(kid);
    elapse(31);
    const refused = await list(accessToken);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { data: { authCode: "TOKEN_INVALID" } } });
    // A fresh sign-in gets a token of the promoted key, which notes accepts.
    const fresh = (await auth.register({ email: uniqueEmail(), password: TEST_PASSWORD, name: "Ed" })).accessToken;
    expect((await list(fresh)).status).toBe(200);
  });
});
