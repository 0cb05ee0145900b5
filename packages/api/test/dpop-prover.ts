// Proofs the way a client signs them (RFC 9449 §4.2), with jose, for the API's tests.
import { randomUUID } from "node:crypto";
import { accessTokenHash } from "@bearer-kit/auth";
import { exportJWK, generateKeyPair, SignJWT } from "jose";

/** The app's origin as the server is configured (`appUrl` default): proofs name it, whatever the Host. */
export const APP_ORIGIN = "http://localhost:3000";

export interface TestProver {
  /** A `DPoP` header value for `method` and `path` (under APP_ORIGIN), with `ath` for `accessToken`. */
  proof(method: string, path: string, options?: { accessToken?: string; nonce?: string; jti?: string }): Promise<string>;
}

export async function createTestProver(now: () => Date): Promise<TestProver> {
  const { publicKey, privateKey } = await generateKeyPair("ES256");
  const jwk = await exportJWK(publicKey);
  return {
    proof(method, path, options = {}) {
      return new SignJWT({
        jti: options.jti ?? randomUUID(),
        htm: method,
        htu: `${APP_ORIGIN}${path}`,
        iat: Math.floor(now().getTime() / 1000),
        ...(options.accessToken !== undefined && { ath: accessTokenHash(options.accessToken) }),
        ...(options.nonce !== undefined && { nonce: options.nonce }),
      })
        .setProtectedHeader({ alg: "ES256", typ: "dpop+jwt", jwk })
        .sign(privateKey);
    },
  };
}
