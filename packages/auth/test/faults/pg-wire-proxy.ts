import { connect, createServer, type Socket } from "node:net";

/**
 * A TCP proxy in front of PostgreSQL that reads the server's side of the wire protocol, so a
 * test can fault one kind of message while the database stays real:
 * - `swallowNotifications`: NotificationResponse messages are dropped. LISTEN still succeeds and
 *   nothing ever arrives, as behind a transaction-mode pooler.
 * - `holdResult(text)`: the connection that next sends a statement containing `text` gets that
 *   statement executed, and its result held back until `release()`.
 *
 * Assumes a plain connection (no SSLRequest), as postgres.js makes by default: every server
 * message is then a type byte and a length.
 */
export interface PgWireProxy {
  /** `url` with the proxy's port. */
  readonly url: string;
  swallowNotifications: boolean;
  /** Notifications dropped so far: each proves the server delivered one to a listening session. */
  readonly swallowed: number;
  holdResult(text: string): HeldResult;
  close(): Promise<void>;
}

export interface HeldResult {
  /** Resolves once the server has executed the statement: its whole result is held here. */
  executed: Promise<void>;
  release(): void;
}

interface Hold {
  text: string;
  holding: boolean;
  released: boolean;
  held: Buffer[];
  executed: () => void;
  client: Socket | null;
}

export async function startPgWireProxy(url: string): Promise<PgWireProxy> {
  const target = new URL(url);
  const sockets = new Set<Socket>();
  const armed: Hold[] = [];
  const state = { swallowNotifications: false, swallowed: 0 };

  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    let hold: Hold | undefined;
    let pending = Buffer.alloc(0);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);

    client.on("data", (chunk: Buffer) => {
      const index = hold ? -1 : armed.findIndex((candidate) => chunk.includes(candidate.text));
      if (index >= 0) {
        hold = armed.splice(index, 1)[0];
        if (hold) hold.client = client;
      }
      upstream.write(chunk);
    });

    upstream.on("data", (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      const out: Buffer[] = [];
      while (pending.length >= 5) {
        const end = 1 + pending.readUInt32BE(1);
        if (pending.length < end) break;
        const message = pending.subarray(0, end);
        pending = pending.subarray(end);
        const type = String.fromCharCode(message[0] ?? 0);
        if (type === "A" && state.swallowNotifications) {
          state.swallowed += 1;
          continue;
        }
        // From BindComplete on: by then the statement has its snapshot, whatever commits next.
        // (postgres.js may describe a statement first and bind it only once told its types.)
        if (hold && !hold.released && type === "2") hold.holding = true;
        if (hold?.holding && !hold.released) {
          hold.held.push(message);
          if (type === "Z") hold.executed();
          continue;
        }
        out.push(message);
      }
      if (out.length > 0) client.write(Buffer.concat(out));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const proxied = new URL(url);
  proxied.hostname = "127.0.0.1";
  proxied.port = String(address && typeof address === "object" ? address.port : 0);

  return {
    url: proxied.toString(),
    get swallowNotifications() {
      return state.swallowNotifications;
    },
    set swallowNotifications(value) {
      state.swallowNotifications = value;
    },
    get swallowed() {
      return state.swallowed;
    },
    holdResult(text) {
      let markExecuted: () => void = () => {};
      const executed = new Promise<void>((resolve) => (markExecuted = resolve));
      const hold: Hold = { text, holding: false, released: false, held: [], executed: markExecuted, client: null };
      armed.push(hold);
      return {
        executed,
        release() {
          hold.released = true;
          if (hold.held.length > 0) hold.client?.write(Buffer.concat(hold.held));
          hold.held = [];
        },
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
