import type { JSONWebKeySet, JWK } from "jose";
import type { VerifyAlgorithm } from "./algorithms.ts";

/** JWK members that only a private or secret key has. */
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The keys of `jwks` a verifier may use: each names its `kid` and its own `alg`, one of
 * `algorithms`, and is a public signing key. Everything else is dropped, never guessed at.
 *
 * Requiring the key's own `alg` is what pins a token's algorithm to its key: jose then matches
 * a token only to a key whose `alg` equals the token's. A key without `alg` would match any
 * algorithm of its key type, so it is not trusted at all.
 *
 * @example usableKeys(await response.json(), ["ES256"]) // { keys: [ ...ES256 keys with a kid ] }
 */
export function usableKeys(jwks: unknown, algorithms: readonly VerifyAlgorithm[]): JSONWebKeySet {
  const keys = isObject(jwks) && Array.isArray(jwks["keys"]) ? (jwks["keys"] as unknown[]) : [];
  return {
    keys: keys.filter(
      (key): key is JWK =>
        isObject(key) &&
        typeof key["kid"] === "string" &&
        key["kid"] !== "" &&
        (algorithms as readonly unknown[]).includes(key["alg"]) &&
        (key["use"] === undefined || key["use"] === "sig") &&
        PRIVATE_MEMBERS.every((member) => !(member in key)),
    ),
  };
}
