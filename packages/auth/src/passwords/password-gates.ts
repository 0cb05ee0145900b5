import type { AuthConfig } from "../config/options.ts";
import { hashPassword, verifyPassword } from "./password.ts";
import { createHashGate, defaultHashConcurrency, type HashGate } from "./hash-gate.ts";

export interface PasswordGates {
  /**
   * Admits whole password checks (the user lookup and throttle's database work, then argon2), so
   * the attempts beyond it wait in memory rather than in the database pool that every other call needs.
   * Twice the hashing slots: the next check's database work overlaps the current hash.
   */
  checks: HashGate;
  /** argon2 on at most `hashing.concurrency` threads; call only inside a `checks` slot. */
  hash(password: string): Promise<string>;
  verify(passwordHash: string, password: string): Promise<boolean>;
}

/** The two gates a sign-in flood meets; see passwords/hash-gate.ts for why. */
export function createPasswordGates(config: AuthConfig): PasswordGates {
  const hashes = config.hashing.concurrency === 0 ? defaultHashConcurrency() : config.hashing.concurrency;
  // Unbounded queue: the checks gate already bounds how many can wait here.
  const argon2 = createHashGate({ concurrency: hashes, queue: Number.POSITIVE_INFINITY });
  return {
    checks: createHashGate({ concurrency: 2 * hashes, queue: config.hashing.queue }),
    hash: (password) => argon2.run(() => hashPassword(password, config.passwordParams)),
    verify: (passwordHash, password) => argon2.run(() => verifyPassword(passwordHash, password)),
  };
}
