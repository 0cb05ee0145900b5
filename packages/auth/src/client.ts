// @bearer-kit/auth/client: what a browser or any other client may import. Nothing here reaches
// a database, argon2 or a Node module; jose only for DPoP proofs, which it signs with WebCrypto
// (client.test.ts walks the import graph to keep it so).
export {
  createDPoPKeyPair,
  createDPoPProver,
  type DPoPKeyPair,
  type DPoPProofRequest,
  type DPoPProver,
} from "./dpop-client.ts";
export {
  AUTH_ERROR_CODES,
  AUTH_ERROR_MEANINGS,
  type AuthErrorCode,
  type AuthErrorMeaning,
  isAuthErrorCode,
} from "./error-codes.ts";
export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "./passwords/password-policy.ts";
