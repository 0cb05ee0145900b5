import { createLocalJWKSet, createRemoteJWKSet, customFetch, type FetchImplementation, type JWTVerifyGetKey } from "jose";
import { AuthError } from "../errors.ts";
import type { VerifierConfig } from "./verifier-options.ts";
import { usableKeys } from "./usable-keys.ts";

const unavailable = (cause?: unknown) =>
  new AuthError("JWKS_UNAVAILABLE", "The issuer's signing keys could not be fetched; try again shortly.", { cause });

/**
 * Builds the key resolver. A remote set is jose's `createRemoteJWKSet` (cache, cooldown on an
 * unknown `kid`, one fetch in flight shared by every caller, timeout), with its fetch wrapped so
 * that:
 * - only usable keys (see `usableKeys`) ever reach jose's key set;
 * - a failed fetch (network, timeout, non-200, not JSON) is `JWKS_UNAVAILABLE`, not a verdict
 *   on the token: the client should retry, not sign in again.
 */
export function createKeySource(config: VerifierConfig): JWTVerifyGetKey {
  if (config.source.kind === "local") {
    return createLocalJWKSet(usableKeys(config.source.jwks, config.algorithms));
  }
  const fetchUsableKeys: FetchImplementation = async (url, init) => {
    let body: unknown;
    try {
      const response = await fetch(url, init);
      if (response.status !== 200) {
        await response.body?.cancel();
        throw unavailable(new Error(`JWKS answered HTTP ${response.status}`));
      }
      body = await response.json();
    } catch (error) {
      throw error instanceof AuthError ? error : unavailable(error);
    }
    return Response.json(usableKeys(body, config.algorithms));
  };
  return createRemoteJWKSet(config.source.url, {
    cacheMaxAge: config.cacheMaxAge,
    cooldownDuration: config.cooldown,
    timeoutDuration: config.timeout,
    [customFetch]: fetchUsableKeys,
  });
}
