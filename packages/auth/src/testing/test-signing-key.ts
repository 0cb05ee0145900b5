import { randomUUID } from "node:crypto";
import { calculateJwkThumbprint, type CryptoKey, exportJWK, exportSPKI, generateKeyPair, type JWK, SignJWT } from "jose";

export type TestKeyAlgorithm = "ES256" | "EdDSA" | "RS256";

/** A signing key pair as an issuer holds it: the private key, and the public JWK it publishes. */
export interface TestSigningKey {
  alg: TestKeyAlgorithm;
  /** RFC 7638 thumbprint of the public key. */
  kid: string;
  privateKey: CryptoKey;
  /** `{ kty, crv, x, y, kid, alg, use: "sig" }`, as a JWKS lists it. */
  publicJwk: JWK;
  /** The public key as SPKI PEM. */
  publicPem: string;
}

/** A fresh key pair; `kid` is its thumbprint. */
export async function createTestSigningKey(alg: TestKeyAlgorithm = "ES256"): Promise<TestSigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { alg, kid, privateKey, publicJwk: { ...jwk, kid, alg, use: "sig" }, publicPem: await exportSPKI(publicKey) };
}

export interface TestTokenOptions {
  /** Issue time; default now. */
  now?: Date;
  /** Lifetime in seconds; default 900. */
  ttl?: number;
  /** Claims to add or override (`undefined` removes one). */
  claims?: Record<string, unknown>;
  /** Header parameters to add or override, e.g. `{ kid: "other" }`. */
  header?: Record<string, unknown>;
}

/**
 * An access token shaped as bearer-kit issues it (`typ: at+jwt`, `kid`, sub/sid/jti/iss/aud/iat/nbf/exp),
 * signed with `key`.
 *
 * @example await signTestAccessToken(key, { claims: { sub: userId } })
 */
export async function signTestAccessToken(key: TestSigningKey, options: TestTokenOptions = {}): Promise<string> {
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const claims: Record<string, unknown> = {
    sub: randomUUID(),
    sid: randomUUID(),
    jti: randomUUID(),
    iss: "bearer-kit",
    aud: "bearer-kit",
    iat,
    nbf: iat,
    exp: iat + (options.ttl ?? 900),
    ...options.claims,
  };
  const payload = Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
  const header = { alg: key.alg, typ: "at+jwt", kid: key.kid, ...options.header };
  return new SignJWT(payload).setProtectedHeader(header as { alg: string }).sign(key.privateKey);
}
