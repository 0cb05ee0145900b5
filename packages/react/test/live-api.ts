import { createServer, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { createFetchHandler, toNodeListener } from "@bearer-kit/api";
import { type Auth, type AuthOptions, createAuth, type Database } from "@bearer-kit/auth";
import {
  createTestClock,
  createTestDatabase,
  TEST_PASSWORD,
  TEST_PASSWORD_PARAMS,
  TEST_SECRET,
  type TestClock,
  uniqueEmail,
} from "@bearer-kit/auth/testing";

/**
 * The app's address the API is configured with (`appUrl`): its origin is the passkeys' allowed
 * origin, and its host their RP ID, whatever port the API itself listens on, as for an app whose
 * API is served from its own origin.
 */
export const APP_ORIGIN = "http://localhost:3000";

/** The real API on embedded PGlite and a real `node:http` port, with a clock the test moves. */
export interface LiveApi {
  /** `http://127.0.0.1:<port>/api/trpc` */
  url: string;
  clock: TestClock;
  auth: Auth;
  /** A new account; returns the credentials to sign in with. */
  createUser(): Promise<{ email: string; password: string }>;
  close(): Promise<void>;
}

/** How the live API is set up; see `startLiveApi`. */
export interface LiveApiOptions {
  /**
   * `api`: the app's address (`appUrl`) is the API's own origin, as when the app serves its API:
   * DPoP proofs sign the URL they call, which the server compares with `appUrl`. Default
   * `APP_ORIGIN`, which passkeys need.
   */
  appOrigin?: "api";
  dpop?: AuthOptions["dpop"];
}

/**
 * Starts the API as an app serves it (`createFetchHandler` on `/api/trpc`). The server's clock
 * is the test's: `clock.advance(ttl)` expires every access token at once.
 *
 * @example const api = await startLiveApi(); const session = createSessionClient({ url: api.url });
 */
export async function startLiveApi(options: LiveApiOptions = {}): Promise<LiveApi> {
  const database: Database = await createTestDatabase();
  const clock = createTestClock();
  // Listening first, so that the API can be told its own port as its app's address.
  let listener: RequestListener | null = null;
  const server = createServer((req, res) => listener?.(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const auth = createAuth({
    db: database.db,
    secret: TEST_SECRET,
    now: clock.now,
    passwordParams: TEST_PASSWORD_PARAMS,
    appUrl: options.appOrigin === "api" ? `http://127.0.0.1:${port}` : APP_ORIGIN,
    dpop: options.dpop,
    throttle: { registerMaxPerIp: 100_000 },
    // These tests send no mail; the warning that none would go out is expected here.
    onWarning: () => {},
  });
  listener = toNodeListener(createFetchHandler({ auth, endpoint: "/api/trpc", now: clock.now }));
  return {
    url: `http://127.0.0.1:${port}/api/trpc`,
    clock,
    auth,
    async createUser() {
      const credentials = { email: uniqueEmail(), password: TEST_PASSWORD };
      await auth.register({ ...credentials, name: "Ann" });
      return credentials;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      await database.close();
    },
  };
}
