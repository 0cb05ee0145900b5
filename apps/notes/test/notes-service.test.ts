import { randomUUID } from "node:crypto";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  createTestSigningKey,
  signTestAccessToken,
  startJWKSServer,
  type TestJWKSServer,
  type TestSigningKey,
  type TestTokenOptions,
} from "@bearer-kit/auth/testing";
import { createVerifier } from "@bearer-kit/auth/verify";
import { base64url, SignJWT } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type NotesDatabase, openNotesDatabase } from "../src/database.ts";
import { createNotesListener } from "../src/http/create-notes-listener.ts";
import { createNoteStore } from "../src/note-store.ts";
import { createNotesTestDatabase } from "./notes-test-database.ts";

const WEB = "http://localhost:3000";
// The token clock is pinned; jose's JWKS cache runs on Date.now(), faked where a test moves it.
const NOW = new Date("2026-01-01T00:00:00Z");

let database: NotesDatabase;
let jwks: TestJWKSServer;
let notes: Server;
let base: string;
let current: TestSigningKey;
let previous: TestSigningKey;

beforeAll(async () => {
  [current, previous] = await Promise.all([createTestSigningKey("ES256"), createTestSigningKey("EdDSA")]);
  [database, jwks] = await Promise.all([createNotesTestDatabase(), startJWKSServer([current.publicJwk, previous.publicJwk])]);
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
  const verifier = createVerifier({ jwksUrl: jwks.url, issuer: "bearer-kit", audience: "bearer-kit", cacheMaxAge: "30s", now: () => NOW });
  notes = createServer(createNotesListener({ verifier, store: createNoteStore(database.db), allowedOrigin: WEB, publicUrl: "http://notes.test" }));
  await new Promise<void>((resolve) => notes.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(notes.address() as AddressInfo).port}`;
});
afterEach(() => {
  jwks.mode = "ok";
});
afterAll(async () => {
  vi.useRealTimers();
  notes.closeAllConnections();
  await new Promise((resolve) => notes.close(resolve));
  await Promise.all([jwks.close(), database.close()]);
});

const token = (key: TestSigningKey, options: TestTokenOptions = {}) => signTestAccessToken(key, { now: NOW, ...options });
const auth = (value: string) => ({ authorization: `Bearer ${value}` });
const json = { "content-type": "application/json" };

async function call(method: string, init: { headers?: Record<string, string>; body?: string; path?: string } = {}) {
  const response = await fetch(`${base}${init.path ?? "/notes"}`, { method, headers: init.headers, body: init.body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : null) as Record<string, unknown> };
}
/** Sends `method target HTTP/1.1` with the target exactly as written: fetch would normalise it first. */
function rawRequest(method: string, target: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(base);
    const req = request({ hostname, port, method, path: target, headers: { host: "notes.test" } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

const post = (bearer: string, text: unknown) =>
  call("POST", { headers: { ...auth(bearer), ...json }, body: JSON.stringify({ text }) });
const list = (bearer: string) => call("GET", { headers: auth(bearer) });

/** The API's 401: status, challenge and `authCode`. */
function expectUnauthorized(result: Awaited<ReturnType<typeof call>>, authCode: string, challenge: string) {
  expect(result.status).toBe(401);
  expect(result.headers.get("www-authenticate")).toBe(challenge);
  expect(result.body).toEqual({
    error: {
      message: expect.any(String),
      code: -32001,
      data: { code: "UNAUTHORIZED", httpStatus: 401, authCode, fieldErrors: null, retryAfter: null },
    },
  });
}

describe("notes: accepting the web app's tokens", () => {
  it("adds and lists a note with a valid ES256 token", async () => {
    const bearer = await token(current);
    const added = await post(bearer, "  buy milk  ");
    expect(added.status).toBe(201);
    expect(added.body).toEqual({ note: { id: expect.any(String), text: "buy milk", createdAt: expect.any(String) } });
    expect(added.headers.get("cache-control")).toBe("no-store");
    const listed = await list(bearer);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({ notes: [added.body.note] });
  });

  it("keeps each user's notes apart, whatever the session", async () => {
    const ann = randomUUID();
    const bob = randomUUID();
    await post(await token(current, { claims: { sub: ann } }), "ann's note");
    await post(await token(previous, { claims: { sub: ann } }), "ann's second, another session");
    await post(await token(current, { claims: { sub: bob } }), "bob's note");
    const annNotes = (await list(await token(current, { claims: { sub: ann } }))).body.notes as { text: string }[];
    const bobNotes = (await list(await token(current, { claims: { sub: bob } }))).body.notes as { text: string }[];
    expect(annNotes.map((note) => note.text).sort()).toEqual(["ann's note", "ann's second, another session"]);
    expect(bobNotes.map((note) => note.text)).toEqual(["bob's note"]);
  });
});

describe("notes: refusing other tokens", () => {
  const victim = randomUUID();
  const claims = () => {
    const iat = Math.floor(NOW.getTime() / 1000);
    return { sub: victim, sid: randomUUID(), jti: randomUUID(), iss: "bearer-kit", aud: "bearer-kit", iat, exp: iat + 900 };
  };
  const hmac = (secret: string, kid: string) =>
    new SignJWT(claims()).setProtectedHeader({ alg: "HS256", typ: "at+jwt", kid }).sign(new TextEncoder().encode(secret));

  /** Each forgery is refused with 401 TOKEN_INVALID, on reads and writes, and writes nothing. */
  async function expectRefused(forged: string) {
    expectUnauthorized(await list(forged), "TOKEN_INVALID", 'Bearer error="invalid_token"');
    expectUnauthorized(await post(forged, "planted"), "TOKEN_INVALID", 'Bearer error="invalid_token"');
    expect((await list(await token(current, { claims: { sub: victim } }))).body.notes).toEqual([]);
  }

  it("asks for a token with a bare challenge when none is sent", async () => {
    expectUnauthorized(await call("GET"), "TOKEN_INVALID", "Bearer");
    expectUnauthorized(await call("GET", { headers: { authorization: "Basic dXNlcjpwYXNz" } }), "TOKEN_INVALID", "Bearer");
  });

  it("answers TOKEN_EXPIRED for an expired token, so the client refreshes", async () => {
    const expired = await token(current, { now: new Date(NOW.getTime() - 3600_000), ttl: 900 });
    expectUnauthorized(await list(expired), "TOKEN_EXPIRED", 'Bearer error="invalid_token"');
  });

  it("refuses HS256 tokens keyed with the public key's PEM or JWK JSON (key confusion)", async () => {
    await expectRefused(await hmac(current.publicPem, current.kid));
    await expectRefused(await hmac(JSON.stringify(current.publicJwk), current.kid));
  });

  it("refuses alg none", async () => {
    const header = base64url.encode(JSON.stringify({ alg: "none", typ: "at+jwt", kid: current.kid }));
    await expectRefused(`${header}.${base64url.encode(JSON.stringify(claims()))}.`);
  });

  it("refuses a token signed by a key the JWKS does not publish (unknown kid)", async () => {
    const stranger = await createTestSigningKey("ES256");
    await expectRefused(await token(stranger, { claims: { sub: victim } }));
    // The same foreign signature under a published kid fails its signature check.
    await expectRefused(await token(stranger, { claims: { sub: victim }, header: { kid: current.kid } }));
  });

  it("refuses a valid signature from a key retired from the JWKS, once its cache is refreshed", async () => {
    const retiring = await createTestSigningKey("ES256");
    jwks.keys = [...jwks.keys, retiring.publicJwk];
    vi.setSystemTime(Date.now() + 31_000); // the cache max age (30 s) passes: the new key is fetched
    const owner = randomUUID();
    const signed = await token(retiring, { claims: { sub: owner } });
    expect((await list(signed)).status).toBe(200);

    jwks.keys = jwks.keys.filter((key) => key.kid !== retiring.kid);
    vi.setSystemTime(Date.now() + 31_000);
    expectUnauthorized(await list(signed), "TOKEN_INVALID", 'Bearer error="invalid_token"');
    expectUnauthorized(await post(signed, "after retirement"), "TOKEN_INVALID", 'Bearer error="invalid_token"');
    expect((await list(await token(current))).status).toBe(200);
  });

  it("answers 503 JWKS_UNAVAILABLE, not 401, while the web app's JWKS cannot be fetched", async () => {
    jwks.mode = "error";
    vi.setSystemTime(Date.now() + 31_000);
    const result = await list(await token(current));
    expect(result.status).toBe(503);
    expect(result.body).toMatchObject({ error: { data: { code: "SERVICE_UNAVAILABLE", authCode: "JWKS_UNAVAILABLE" } } });
    jwks.mode = "ok";
    expect((await list(await token(current))).status).toBe(200);
  });
});

describe("notes: database outage", () => {
  it("answers 503 DATABASE_UNAVAILABLE when the database cannot be reached", async () => {
    // A real driver against a port where nothing listens: every query fails to connect.
    const down = await openNotesDatabase({ url: "postgres://postgres@127.0.0.1:1/notes" });
    const verifier = createVerifier({ jwks: { keys: [current.publicJwk] }, issuer: "bearer-kit", audience: "bearer-kit", now: () => NOW });
    const server = createServer(createNotesListener({ verifier, store: createNoteStore(down.db), allowedOrigin: WEB, publicUrl: "http://notes.test", onError: () => {} }));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/notes`, { headers: auth(await token(current)) });
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ error: { data: { code: "SERVICE_UNAVAILABLE", authCode: "DATABASE_UNAVAILABLE" } } });
    } finally {
      server.close();
      await down.close();
    }
  });
});

describe("notes: CORS", () => {
  const preflight = (origin: string, headers = "authorization, content-type") =>
    call("OPTIONS", {
      headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": headers },
    });

  it("lets the web app's origin in, preflight included", async () => {
    const ok = await preflight(WEB);
    expect(ok.status).toBe(204);
    expect(ok.headers.get("access-control-allow-origin")).toBe(WEB);
    expect(ok.headers.get("access-control-allow-methods")).toBe("GET, POST");
    expect(ok.headers.get("access-control-allow-headers")).toBe("Authorization, Content-Type, DPoP");
    expect(ok.headers.get("access-control-allow-credentials")).toBeNull();
    const read = await call("GET", { headers: { origin: WEB, ...auth(await token(current)) } });
    expect(read.status).toBe(200);
    expect(read.headers.get("access-control-allow-origin")).toBe(WEB);
    const refused = await call("GET", { headers: { origin: WEB } });
    expect(refused.headers.get("access-control-allow-origin")).toBe(WEB);
    expect(refused.headers.get("access-control-expose-headers")).toBe("WWW-Authenticate, DPoP-Nonce");
  });

  it("refuses every other origin: preflight and request, with no CORS headers", async () => {
    for (const origin of ["https://evil.example", "http://localhost:3001", "http://localhost:3000.evil.example", "null"]) {
      const pre = await preflight(origin);
      expect(pre.status).toBe(403);
      expect(pre.headers.get("access-control-allow-origin")).toBeNull();
      const bearer = await token(current);
      const write = await call("POST", { headers: { origin, ...auth(bearer), ...json }, body: JSON.stringify({ text: "x" }) });
      expect(write.status).toBe(403);
      expect(write.headers.get("access-control-allow-origin")).toBeNull();
      expect((await list(bearer)).body.notes).toEqual([]);
    }
  });

  it("refuses a preflight for other headers or methods", async () => {
    expect((await preflight(WEB, "authorization, x-custom")).status).toBe(403);
    const put = await call("OPTIONS", { headers: { origin: WEB, "access-control-request-method": "DELETE" } });
    expect(put.status).toBe(403);
  });
});

describe("notes: client input is a 4xx, never a 500", () => {
  const bad = async (result: Promise<Awaited<ReturnType<typeof call>>>, status: number, code: string) => {
    const { status: actual, body } = await result;
    expect(actual).toBe(status);
    expect(body).toMatchObject({ error: { data: { code, httpStatus: status } } });
    return body;
  };

  it("refuses control characters, empty and over-long text with INVALID_INPUT", async () => {
    const bearer = await token(current);
    for (const text of ["line\nbreak", "bell\u0007", "nul\u0000", "c1\u0085", "sep\u2028", "", "   ", "x".repeat(501), 42, null]) {
      const body = await bad(post(bearer, text), 400, "BAD_REQUEST");
      expect(body).toMatchObject({ error: { data: { authCode: "INVALID_INPUT", fieldErrors: { text: expect.any(Array) } } } });
    }
    expect((await post(bearer, "é".repeat(500))).status).toBe(201);
    expect((await list(bearer)).body.notes).toHaveLength(1);
  });

  it("refuses malformed JSON, non-JSON bodies, lone surrogates and other shapes", async () => {
    const headers = { ...auth(await token(current)), ...json };
    await bad(call("POST", { headers, body: "{not json" }), 400, "BAD_REQUEST");
    await bad(call("POST", { headers, body: "" }), 400, "BAD_REQUEST");
    await bad(call("POST", { headers, body: '{"text":"\\ud800"}' }), 400, "BAD_REQUEST");
    await bad(call("POST", { headers, body: "[]" }), 400, "BAD_REQUEST");
    await bad(call("POST", { headers, body: "null" }), 400, "BAD_REQUEST");
    await bad(call("POST", { headers: { ...headers, "content-type": "text/plain" }, body: '{"text":"x"}' }), 415, "UNSUPPORTED_MEDIA_TYPE");
    await bad(call("POST", { headers: auth(await token(current)), body: '{"text":"x"}' }), 415, "UNSUPPORTED_MEDIA_TYPE");
  });

  it("refuses bodies over 16 KiB, declared or streamed, with 413", async () => {
    const headers = { ...auth(await token(current)), ...json };
    await bad(call("POST", { headers, body: JSON.stringify({ text: "x".repeat(20_000) }) }), 413, "PAYLOAD_TOO_LARGE");
    // Chunked: no content-length, so the limit holds while reading.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${base}/notes`, { method: "POST", headers }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.write(`{"text":"${"x".repeat(10_000)}`);
      req.write(`${"x".repeat(10_000)}"}`);
      req.end();
    });
    expect(status).toBe(413);
  });

  it("answers a malformed request target with 400, never a 500", async () => {
    for (const target of ["//x:99999/notes", "http://[/notes", "//", "/notes%zz", "/notes%", "/%C0%AF", "*"]) {
      for (const method of ["GET", "POST", "OPTIONS"]) {
        const { status, body } = await rawRequest(method, target);
        expect({ method, target, status }).toEqual({ method, target, status: 400 });
        expect(JSON.parse(body)).toMatchObject({ error: { message: "Malformed request target", data: { code: "BAD_REQUEST" } } });
      }
    }
  });

  it("routes an odd but well-formed target by its path, never by a host inside it", async () => {
    // "//host/notes" is the path //host/notes, not /notes on another host.
    expect((await rawRequest("GET", "//evil.example/notes")).status).toBe(404);
    // Absolute-form (RFC 9112 §3.2.2): served as /notes, so asked for a token.
    expect((await rawRequest("GET", "http://notes.test/notes")).status).toBe(401);
    expect((await rawRequest("GET", "/notes?x=%zz")).status).toBe(401);
  });

  it("answers 404 for other paths and 405 for other methods", async () => {
    await bad(call("GET", { path: "/" }), 404, "NOT_FOUND");
    await bad(call("GET", { path: "/notes/1" }), 404, "NOT_FOUND");
    const put = await call("PUT", { headers: auth(await token(current)) });
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("GET, POST, OPTIONS");
  });
});
