import { afterAll, afterEach, beforeAll } from "vitest";
import { type Auth, createAuth } from "../src/create-auth.ts";
import type { Database } from "../src/database/database.ts";
import type { AuthOptions } from "../src/config/options.ts";
import { createTestClock, createTestDatabase, TEST_PASSWORD_PARAMS, TEST_SECRET, type TestClock } from "../src/testing/index.ts";

export interface Fixture {
  database: Database;
  clock: TestClock;
  auth: Auth;
  /** Another service over the same database, with other options. */
  withOptions(options: Partial<AuthOptions>): Auth;
}

/**
 * One isolated database per test file, a pinned clock reset after each test, and the service
 * under test, hashing with cheap argon2id parameters unless `options.passwordParams` says otherwise.
 */
export function useAuth(options: Partial<AuthOptions> = {}): Fixture {
  const fixture = {} as Fixture;
  beforeAll(async () => {
    fixture.database = await createTestDatabase();
    fixture.clock = createTestClock();
    fixture.withOptions = (extra) =>
      createAuth({
        db: fixture.database.db,
        secret: TEST_SECRET,
        now: fixture.clock.now,
        passwordParams: TEST_PASSWORD_PARAMS,
        ...options,
        ...extra,
      });
    fixture.auth = fixture.withOptions({});
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

export { TEST_PASSWORD as PASSWORD, uniqueEmail as email } from "../src/testing/index.ts";
