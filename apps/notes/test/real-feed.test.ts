// Notes following the real core's security-event feed: the web app's part is played by the core
// (its key set signs the tokens and the SETs, its feed queues one delivery per receiver), served
// on a local port as RFC 8936 poll. A sign-out there is refused here within a second.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Auth, createAuth, createJwksHandler, type Database } from "@bearer-kit/auth";
import { createTestDatabase, TEST_PASSWORD, TEST_SECRET, uniqueEmail } from "@bearer-kit/auth/testing";
import type { Verifier } from "@bearer-kit/auth/verify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NotesDatabase } from "../src/database.ts";
import { loadNotesEnv } from "../src/env.ts";
import { createNotesListener } from "../src/http/create-notes-listener.ts";
import { createNoteStore } from "../src/note-store.ts";
import { createNotesVerifier } from "../src/notes-verifier.ts";
import { createNotesTestDatabase } from "./notes-test-database.ts";

const CREDENTIAL = "ser_notes-real-feed-credential-0123456789abcdef";
let authDatabase: Database;
let notesDatabase: NotesDatabase;
let auth: Auth;
let issuer: Server;
let notes: Server;
let verifier: Verifier;
let base: string;

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function jsonBody(req: IncomingMessage): Promise<{ ack?: string[]; setErrs?: Record<string, unknown>; returnImmediately?: boolean }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as never;
}

/** The core's feed over HTTP, as the web app's route serves it (acks and setErrs both leave the queue). */
function issuerListener(): (req: IncomingMessage, res: ServerResponse) => void {
  const jwks = createJwksHandler(auth);
  return (req, res) => {
    void (async () => {
      if (req.url === "/.well-known/jwks.json") {
        const response = await jwks(new Request(`http://issuer${req.url}`));
        res.writeHead(response.status, Object.fromEntries(response.headers)).end(await response.text());
        return;
      }
      const receiver = await auth.securityEventFeed.receivers.authenticate(req.headers.authorization?.replace(/^Bearer /, ""));
      if (req.url !== "/api/security-events/poll" || !receiver) return void res.writeHead(receiver ? 404 : 401).end();
      const body = await jsonBody(req);
      const aborted = new AbortController();
      res.on("close", () => aborted.abort());
      const ack = [...(body.ack ?? []), ...Object.keys(body.setErrs ?? {})];
      const answer = await auth.securityEventFeed.poll(receiver, { ack, returnImmediately: body.returnImmediately, signal: aborted.signal });
      res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(answer));
    })().catch(() => res.writeHead(500).end());
  };
}

beforeAll(async () => {
  [authDatabase, notesDatabase] = await Promise.all([createTestDatabase(), createNotesTestDatabase()]);
  auth = createAuth({ db: authDatabase.db, secret: TEST_SECRET });
  await auth.securityEventFeed.receivers.upsert("notes", CREDENTIAL);
  issuer = createServer(issuerListener());
  const issuerUrl = await listen(issuer);
  verifier = createNotesVerifier(loadNotesEnv({ NOTES_JWKS_URL: `${issuerUrl}/.well-known/jwks.json`, NOTES_RECEIVER_CREDENTIAL: CREDENTIAL }), {
    onWarning: () => {},
  });
  notes = createServer(createNotesListener({ verifier, store: createNoteStore(notesDatabase.db), allowedOrigin: "http://localhost:3000", publicUrl: "http://notes.test" }));
  base = await listen(notes);
});
afterAll(async () => {
  await verifier.close();
  for (const server of [notes, issuer]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await auth.close();
  await Promise.all([authDatabase.close(), notesDatabase.close()]);
});

async function verdict(token: string): Promise<string | null> {
  const response = await fetch(`${base}/notes`, { headers: { authorization: `Bearer ${token}` } });
  if (response.ok) return null;
  const body = (await response.json()) as { error: { data: { authCode: string } } };
  return body.error.data.authCode;
}

/** Milliseconds until notes refuses `token` with SESSION_REVOKED, polling back to back; throws after 5 s. */
async function refusedWithin(token: string): Promise<number> {
  const start = performance.now();
  for (;;) {
    const code = await verdict(token);
    const elapsed = performance.now() - start;
    if (code === "SESSION_REVOKED") return elapsed;
    if (code !== null) throw new Error(`notes answered ${code}`);
    if (elapsed > 5000) throw new Error("notes still accepts the token after 5 s");
  }
}

describe("notes on the real feed", () => {
  it("refuses a signed-out session's token within a second, and the others' after 'sign out everywhere'", async () => {
    const email = uniqueEmail();
    const laptop = await auth.register({ email, password: TEST_PASSWORD, name: "Ann" });
    const phone = await auth.signin({ email, password: TEST_PASSWORD });
    const other = await auth.register({ email: uniqueEmail(), password: TEST_PASSWORD, name: "Bo" });
    // Fresh once its first poll has answered.
    await expect.poll(() => verdict(phone.accessToken), { timeout: 10_000 }).toBeNull();
    expect(await verdict(laptop.accessToken)).toBeNull();

    await auth.logout(phone.session);
    expect(await refusedWithin(phone.accessToken)).toBeLessThan(1000);
    expect(await verdict(laptop.accessToken)).toBeNull();

    await auth.logout(laptop.session, { everywhere: true });
    expect(await refusedWithin(laptop.accessToken)).toBeLessThan(1000);
    expect(await verdict(other.accessToken)).toBeNull();
  });
});
