// Notes with NOTES_RECEIVER_CREDENTIAL: the verifier follows the web app's feed, and a feed it
// cannot reach makes notes answer 503 REVOCATION_UNAVAILABLE (retry), never a 401 (sign in).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createTestSigningKey, signTestAccessToken, startJWKSServer, type TestJWKSServer, type TestSigningKey } from "@bearer-kit/auth/testing";
import type { Verifier } from "@bearer-kit/auth/verify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NotesDatabase } from "../src/database.ts";
import { loadNotesEnv } from "../src/env.ts";
import { createNotesListener } from "../src/http/create-notes-listener.ts";
import { createNoteStore } from "../src/note-store.ts";
import { createNotesVerifier, securityEventsURL } from "../src/notes-verifier.ts";
import { createNotesTestDatabase } from "./notes-test-database.ts";

const CREDENTIAL = "ser_notes-test-credential-0123456789abcdefghij";
let database: NotesDatabase;
let jwks: TestJWKSServer;
let key: TestSigningKey;

beforeAll(async () => {
  key = await createTestSigningKey("ES256");
  [database, jwks] = await Promise.all([createNotesTestDatabase(), startJWKSServer([key.publicJwk])]);
});
afterAll(async () => {
  await Promise.all([jwks.close(), database.close()]);
});

async function serve(verifier: Verifier): Promise<{ base: string; server: Server }> {
  const server = createServer(createNotesListener({ verifier, store: createNoteStore(database.db), allowedOrigin: "http://localhost:3000", publicUrl: "http://notes.test" }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** A port nothing listens on: taken from the OS, then released. */
async function deadOrigin(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe("notes: the revocation feed's settings", () => {
  it("finds the feed beside the JWKS unless NOTES_SECURITY_EVENTS_URL says otherwise", () => {
    const env = loadNotesEnv({ NOTES_JWKS_URL: "https://app.example/auth/.well-known/jwks.json", NOTES_RECEIVER_CREDENTIAL: CREDENTIAL });
    expect(securityEventsURL(env)).toBe("https://app.example/api/security-events/poll");
    const moved = loadNotesEnv({ ...env, NOTES_SECURITY_EVENTS_URL: "https://feed.example/poll", NOTES_PORT: "3001" });
    expect(securityEventsURL(moved)).toBe("https://feed.example/poll");
    expect(loadNotesEnv({}).NOTES_RECEIVER_CREDENTIAL).toBeUndefined();
  });

  it("refuses a credential too short to be one, without echoing it", () => {
    expect(() => loadNotesEnv({ NOTES_RECEIVER_CREDENTIAL: "ser_short" })).toThrow(/NOTES_RECEIVER_CREDENTIAL: .*at least 32/);
    expect(() => loadNotesEnv({ NOTES_RECEIVER_CREDENTIAL: "ser_short" })).not.toThrow(/ser_short/);
    expect(() => loadNotesEnv({ NOTES_SECURITY_EVENTS_URL: "ftp://feed" })).toThrow(/NOTES_SECURITY_EVENTS_URL: /);
  });
});

describe("notes: while the feed cannot be reached", () => {
  it("answers 503 REVOCATION_UNAVAILABLE, not 401; without a credential it does not follow a feed at all", async () => {
    const origin = await deadOrigin();
    const env = loadNotesEnv({ NOTES_JWKS_URL: jwks.url, NOTES_SECURITY_EVENTS_URL: `${origin}/api/security-events/poll`, NOTES_RECEIVER_CREDENTIAL: CREDENTIAL });
    const warnings: string[] = [];
    const following = createNotesVerifier(env, { onWarning: (message) => warnings.push(message) });
    const plain = createNotesVerifier({ ...env, NOTES_RECEIVER_CREDENTIAL: undefined });
    const services = await Promise.all([serve(following), serve(plain)]);
    try {
      const token = await signTestAccessToken(key);
      const call = ({ base }: { base: string }) => fetch(`${base}/notes`, { headers: { authorization: `Bearer ${token}` } });
      const [refused, accepted] = await Promise.all([call(services[0]), call(services[1])]);
      expect(refused.status).toBe(503);
      expect(refused.headers.get("www-authenticate")).toBeNull();
      expect(await refused.json()).toMatchObject({ error: { data: { code: "SERVICE_UNAVAILABLE", authCode: "REVOCATION_UNAVAILABLE" } } });
      expect(accepted.status).toBe(200);
      await expect.poll(() => warnings.join("\n")).toMatch(/revocation feed failed/);
    } finally {
      for (const { server } of services) server.close();
      await Promise.all([following.close(), plain.close()]);
    }
  });
});
