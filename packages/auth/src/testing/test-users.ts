let counter = 0;

/** A unique address per call, so tests sharing a database never collide. */
export function uniqueEmail(label = "user"): string {
  counter += 1;
  return `${label}-${counter}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

/** A password that meets the policy. */
export const TEST_PASSWORD = "correct horse battery";

/**
 * argon2id at 1 MiB and one pass: still argon2id, verified and rehashed like the real thing,
 * but ~1 ms a hash instead of ~50 ms. Suites register and sign in thousands of times; only
 * tests about hashing load or its timing need the production default (`OWASP_ARGON2ID`).
 *
 * @example createAuth({ db, secret, passwordParams: TEST_PASSWORD_PARAMS })
 */
export const TEST_PASSWORD_PARAMS = { memoryCost: 1024, timeCost: 1, parallelism: 1 } as const;
