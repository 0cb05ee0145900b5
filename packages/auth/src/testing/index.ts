// Test helpers for packages that build on @bearer-kit/auth. Not part of the runtime API.
export { createTestClock, type TestClock } from "./test-clock.ts";
export { createTestDatabase } from "./test-database.ts";
export { testBackend, type TestBackend, testDatabaseUrl, type TestEmbeddedThread, testEmbeddedThread } from "./env.ts";
export { TEST_PASSWORD, TEST_PASSWORD_PARAMS, uniqueEmail } from "./test-users.ts";

/** 48 bytes: valid for HS256 and HS384. */
export const TEST_SECRET = "test-secret-that-is-long-enough-for-hs384-keys!!";
export { startJWKSServer, type JWKSServerMode, type TestJWKSServer } from "./jwks-server.ts";
export {
  createTestSigningKey,
  signTestAccessToken,
  type TestKeyAlgorithm,
  type TestSigningKey,
  type TestTokenOptions,
} from "./test-signing-key.ts";
export { type ReceivedMail, startTestSMTPServer, type TestSMTPServer } from "./smtp-server.ts";
export { totpCode } from "../second-factors/totp.ts";
export {
  createSoftAuthenticator,
  type SoftAuthenticator,
  type SoftAuthenticatorOptions,
  type SoftCreateOverrides,
  type SoftCredential,
  type SoftGetOverrides,
} from "./soft-authenticator.ts";
export {
  createTestDPoPProver,
  type TestDPoPProver,
  type TestProofOptions,
  testAccessTokenHash,
  unsignedTestProof,
} from "./test-dpop-prover.ts";
