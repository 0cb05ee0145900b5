import { type Auth, type AuthOptions, createAuth, type Database } from "@bearer-kit/auth";
import { createTestClock, createTestDatabase, TEST_PASSWORD_PARAMS, TEST_SECRET, type TestClock } from "@bearer-kit/auth/testing";
import { afterAll, afterEach, beforeAll } from "vitest";
import { type AuthPayload, createCaller, createTRPCContext, type RegisterPayload, type SigninPayload } from "../src/index.ts";

export interface CallOptions {
  token?: string;
  headers?: Record<string, string>;
  clientAddress?: string | null;
  /** Another auth service than the fixture's, e.g. one with a stubbed method. */
  auth?: Auth;
}

export interface Fixture {
  database: Database;
  clock: TestClock;
  auth: Auth;
  /** A caller as one HTTP request would get it; `resHeaders` are what the response would carry. */
  call(options?: CallOptions): { caller: ReturnType<typeof createCaller>; resHeaders: Headers };
}

/** One isolated database per test file, a pinned clock reset after each test, and a caller factory over them. */
export function useApi(options: Partial<AuthOptions> = {}): Fixture {
  const fixture = {} as Fixture;
  beforeAll(async () => {
    fixture.database = await createTestDatabase();
    fixture.clock = createTestClock();
    fixture.auth = createAuth({
      db: fixture.database.db,
      secret: TEST_SECRET,
      now: fixture.clock.now,
      // Cheap argon2id: suites hash thousands of times; hashing-load tests pass OWASP_ARGON2ID.
      passwordParams: TEST_PASSWORD_PARAMS,
      ...options,
      // Every test registers from one address; only the tests of that limit set it low.
      throttle: { registerMaxPerIp: 100_000, ...options.throttle },
    });
    fixture.call = ({ token, headers = {}, clientAddress = "203.0.113.9", auth = fixture.auth } = {}) => {
      const requestHeaders = new Headers({ "user-agent": "vitest", ...headers });
      if (token) requestHeaders.set("authorization", `Bearer ${token}`);
      const resHeaders = new Headers();
      const ctx = createTRPCContext({ auth, headers: requestHeaders, resHeaders, clientAddress, now: fixture.clock.now });
      return { caller: createCaller(ctx), resHeaders };
    };
  });
  // Every test starts at the same time, even after one that moved the clock and then failed.
  afterEach(() => {
    fixture.clock?.reset();
  });
  afterAll(async () => {
    await fixture.database?.close();
  });
  return fixture;
}

export { TEST_PASSWORD as PASSWORD, uniqueEmail as email } from "@bearer-kit/auth/testing";

/** A registration's token response; fails the test when the server asked for verification instead. */
export function signedUp(payload: RegisterPayload): AuthPayload {
  if (payload.verificationRequired) throw new Error(`expected tokens, got verificationRequired for ${payload.email}`);
  return payload;
}

/** A sign-in's token response; fails the test when the server asked for a second factor instead. */
export function signedIn(payload: SigninPayload): AuthPayload {
  if (payload.mfaRequired) throw new Error("expected tokens, got mfaRequired");
  return payload;
}
