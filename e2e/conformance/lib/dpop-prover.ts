// A DPoP client (RFC 9449 §4.2) as any Node program would be one, on jose: a key pair, and a
// proof per request. Plus the ways an attacker gets a proof wrong, for the dpop cases.
import { createHash, randomUUID } from "node:crypto";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { epochSeconds } from "./forge.ts";

export interface ProofOptions {
  method: "GET" | "POST";
  url: string;
  /** The access token sent with the proof: `ath` is its hash unless `omitAth`. */
  accessToken?: string;
  omitAth?: boolean;
  /** Default now. */
  iat?: number;
  jti?: string;
}

export interface DPoPProver {
  /** RFC 7638 thumbprint: the `cnf.jkt` of tokens bound to this key. */
  jkt: string;
  publicJwk: JWK;
  proof(options: ProofOptions): Promise<string>;
}

/** base64url(SHA-256(token)): a proof's `ath`. */
export function accessTokenHash(token: string): string {
  return createHash("sha256").update(token, "ascii").digest("base64url");
}

/** The claims a proof for `options` carries. */
export function proofClaims(options: ProofOptions): Record<string, unknown> {
  return {
    jti: options.jti ?? randomUUID(),
    htm: options.method,
    htu: options.url,
    iat: options.iat ?? epochSeconds(),
    ...(options.accessToken !== undefined && !options.omitAth && { ath: accessTokenHash(options.accessToken) }),
  };
}

/**
 * A fresh ES256 client key.
 *
 * @example const prover = await createDPoPProver(); headers.dpop = await prover.proof({ method: "GET", url });
 */
export async function createDPoPProver(): Promise<DPoPProver> {
  const { publicKey, privateKey } = await generateKeyPair("ES256");
  const publicJwk = await exportJWK(publicKey);
  return {
    jkt: await calculateJwkThumbprint(publicJwk, "sha256"),
    publicJwk,
    proof: (options) => new SignJWT(proofClaims(options)).setProtectedHeader({ alg: "ES256", typ: "dpop+jwt", jwk: publicJwk }).sign(privateKey),
  };
}

/** A proof-shaped JWT with `alg: none` and no signature. */
export function unsignedProof(options: ProofOptions, jwk: JWK): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "none", typ: "dpop+jwt", jwk })}.${part(proofClaims(options))}.`;
}

/** A proof "signed" with HS256 and a secret it names itself as an `oct` jwk: proves nothing. */
export function hmacProof(options: ProofOptions): Promise<string> {
  const secret = Buffer.from(randomUUID() + randomUUID());
  const jwk = { kty: "oct", k: secret.toString("base64url") };
  return new SignJWT(proofClaims(options)).setProtectedHeader({ alg: "HS256", typ: "dpop+jwt", jwk } as never).sign(secret);
}
