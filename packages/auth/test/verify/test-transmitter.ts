// A security-event transmitter on a local port, speaking the RFC 8936 poll protocol as the web
// app's POST /api/security-events/poll does, with SETs signed as the app signs them: the remote
// service the verifier talks to, for its tests.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { SignJWT } from "jose";
import type { TestSigningKey } from "../../src/testing/test-signing-key.ts";

export const SESSION_REVOKED = "https://schemas.openid.net/secevent/caep/event-type/session-revoked";
export const CREDENTIAL_CHANGE = "https://schemas.openid.net/secevent/caep/event-type/credential-change";

/** How the transmitter answers: normally, or 503 to every poll, held ones included (the feed is down). */
export type TransmitterMode = "ok" | "error";

export interface TestTransmitter {
  readonly url: string;
  readonly credential: string;
  mode: TransmitterMode;
  /** Queues a SET for delivery under `jti`, waking a held poll. */
  queue(jti: string, set: string): void;
  /** Every `ack` received, in order. */
  readonly acked: readonly string[];
  /** Every `setErrs` entry received (RFC 8936 §2.4.3), by jti. */
  readonly reported: ReadonlyMap<string, { err: string; description: string }>;
  /** Resolves once `jti` has left the queue, acknowledged or reported. */
  settled(jti: string): Promise<void>;
  /** Polls answered so far, whatever the answer. */
  readonly polls: number;
  close(): Promise<void>;
}

interface Held {
  res: ServerResponse;
  maxEvents: number;
  timer: ReturnType<typeof setTimeout>;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as unknown;
}

/**
 * @example
 * const feed = await startTestTransmitter({ credential: "ser_test" });
 * feed.queue(jti, await signSET(key, { jti, ...sessionRevoked(sid, at) }));
 */
export async function startTestTransmitter(options: { credential: string; holdMs?: number }): Promise<TestTransmitter> {
  const pending = new Map<string, string>();
  const acked: string[] = [];
  const reported = new Map<string, { err: string; description: string }>();
  const ackWaiters = new Map<string, Array<() => void>>();
  const held = new Set<Held>();
  let mode: TransmitterMode = "ok";
  let polls = 0;

  function answer(res: ServerResponse, maxEvents: number): void {
    const sets = Object.fromEntries([...pending].slice(0, maxEvents));
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ sets, moreAvailable: pending.size > maxEvents }));
  }

  function release(entry: Held): void {
    held.delete(entry);
    clearTimeout(entry.timer);
    answer(entry.res, entry.maxEvents);
  }

  async function poll(req: IncomingMessage, res: ServerResponse): Promise<void> {
    polls += 1;
    if (req.headers.authorization !== `Bearer ${options.credential}`) {
      res.writeHead(401, { "WWW-Authenticate": 'Bearer realm="security-events"' }).end();
      return;
    }
    const body = (await readBody(req)) as {
      ack?: string[];
      setErrs?: Record<string, { err: string; description: string }>;
      maxEvents?: number;
      returnImmediately?: boolean;
    };
    if (mode === "error") {
      res.writeHead(503, { "Content-Type": "application/json" }).end(JSON.stringify({ err: "unavailable" }));
      return;
    }
    // Acks and errors first (RFC 8936 §2.4), then the answer.
    const settle = (jti: string) => {
      for (const wake of ackWaiters.get(jti) ?? []) wake();
      ackWaiters.delete(jti);
    };
    for (const jti of body.ack ?? []) {
      if (!pending.delete(jti)) continue;
      acked.push(jti);
      settle(jti);
    }
    for (const [jti, error] of Object.entries(body.setErrs ?? {})) {
      if (!pending.delete(jti)) continue;
      reported.set(jti, error);
      settle(jti);
    }
    const maxEvents = body.maxEvents ?? 100;
    if (pending.size > 0 || body.returnImmediately === true) return answer(res, maxEvents);
    const entry: Held = { res, maxEvents, timer: setTimeout(() => release(entry), options.holdMs ?? 25_000) };
    held.add(entry);
    res.on("close", () => {
      held.delete(entry);
      clearTimeout(entry.timer);
    });
  }

  const server = createServer((req, res) => {
    if (req.method !== "POST" || req.url !== "/api/security-events/poll") {
      res.writeHead(404).end();
      return;
    }
    poll(req, res).catch(() => res.writeHead(400).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/api/security-events/poll`,
    credential: options.credential,
    get mode() {
      return mode;
    },
    set mode(next) {
      mode = next;
      // A feed going down drops the polls it was holding.
      if (mode === "error") {
        for (const entry of [...held]) {
          held.delete(entry);
          clearTimeout(entry.timer);
          entry.res.writeHead(503).end();
        }
      }
    },
    queue(jti, set) {
      pending.set(jti, set);
      for (const entry of [...held]) release(entry);
    },
    get acked() {
      return acked;
    },
    reported,
    settled: (jti) =>
      acked.includes(jti) || reported.has(jti) ? Promise.resolve() : new Promise((resolve) => ackWaiters.set(jti, [...(ackWaiters.get(jti) ?? []), resolve])),
    get polls() {
      return polls;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const entry of held) clearTimeout(entry.timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface SETContent {
  jti: string;
  /** Event time, seconds (may be fractional). */
  at: number;
  sub_id: Record<string, unknown>;
  events: Record<string, unknown>;
}

/** A CAEP session-revoked event, as the web app emits one when a session ends. */
export function sessionRevoked(sub: string, sid: string, at: number): Omit<SETContent, "jti"> {
  return {
    at,
    sub_id: { format: "complex", user: { format: "opaque", id: sub }, session: { format: "opaque", id: sid } },
    events: { [SESSION_REVOKED]: { event_timestamp: at, reason_admin: { en: "signed_out" } } },
  };
}

/** A CAEP credential-change event for a password change. */
export function credentialChange(sub: string, at: number): Omit<SETContent, "jti"> {
  return {
    at,
    sub_id: { format: "opaque", id: sub },
    events: { [CREDENTIAL_CHANGE]: { event_timestamp: at, credential_type: "password", change_type: "update", reason_admin: { en: "password_changed" } } },
  };
}

/** Signs a SET as the web app does; `header` and `claims` override (`undefined` removes), to forge bad ones. */
export async function signSET(
  key: TestSigningKey,
  content: SETContent,
  overrides: { header?: Record<string, unknown>; claims?: Record<string, unknown> } = {},
): Promise<string> {
  const defined = (entries: Record<string, unknown>) => Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined));
  const payload = defined({ iss: "bearer-kit", aud: "notes", iat: Math.floor(content.at), jti: content.jti, sub_id: content.sub_id, events: content.events, ...overrides.claims });
  const header = defined({ alg: key.alg, kid: key.kid, typ: "secevent+jwt", ...overrides.header });
  return new SignJWT(payload).setProtectedHeader(header as { alg: string }).sign(key.privateKey);
}
