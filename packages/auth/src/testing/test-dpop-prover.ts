// DPoP proofs (RFC 9449 §4.2) made the way a client makes them, with jose, and the ways a client
// (or an attacker) can make them wrong, for tests of services that verify bound tokens.
import { createHash, randomUUID } from "node:crypto";
import { calculateJwkThumbprint, type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";

export interface TestProofOptions {
  /** Default `GET`. */
  method?: string;
  url: string | URL;
  /** The token sent with the proof: `ath` is its hash. */
  accessToken?: string;
  /** Leave `ath` out even with an access token. */
  omitAth?: boolean;
  nonce?: string;
  /** Seconds since the epoch; default `now()`. */
  iat?: number;
  jti?: string;
  /** Header parameters to add or override (an `alg`, a `typ`, a `jwk` with its private part). */
  header?: Record<string, unknown>;
}

export interface TestDPoPProver {
  /** RFC 7638 thumbprint of the public key: a bound token's `cnf.jkt`. */
  jkt: string;
  publicJwk: JWK;
  /** The private key as a JWK: a test can leak it into a header. */
  privateJwk: JWK;
  /** A signed proof for one request. */
  proof(options: TestProofOptions): Promise<string>;
}

/**
 * A client key pair that signs proofs; `now` is the clock `iat` is read from.
 *
 * @example
 * const prover = await createTestDPoPProver(clock.now);
 * const token = await signTestAccessToken(key, { claims: { cnf: { jkt: prover.jkt } } });
 * const proof = await prover.proof({ url: "http://localhost:4100/notes", accessToken: token });
 */
export async function createTestDPoPProver(now: () => Date = () => new Date(), alg: "ES256" | "EdDSA" = "ES256"): Promise<TestDPoPProver> {
  const { publicKey, privateKey }: { publicKey: CryptoKey; privateKey: CryptoKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  return {
    jkt: await calculateJwkThumbprint(publicJwk, "sha256"),
    publicJwk,
    privateJwk: await exportJWK(privateKey),
    proof(options) {
      const claims: Record<string, unknown> = {
        jti: options.jti ?? randomUUID(),
        htm: options.method ?? "GET",
        htu: String(options.url),
        iat: options.iat ?? Math.floor(now().getTime() / 1000),
        ...(options.accessToken !== undefined && !options.omitAth && { ath: testAccessTokenHash(options.accessToken) }),
        ...(options.nonce !== undefined && { nonce: options.nonce }),
      };
      const header = { alg, typ: "dpop+jwt", jwk: publicJwk, ...options.header };
      return new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(privateKey);
    },
  };
}

/** base64url(SHA-256(token)): a proof's `ath`. */
export function testAccessTokenHash(accessToken: string): string {
  return createHash("sha256").update(accessToken, "ascii").digest("base64url");
}

/** A proof-shaped JWT with `alg: none` and no signature. */
export function unsignedTestProof(claims: Record<string, unknown>, jwk: JWK): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "none", typ: "dpop+jwt", jwk })}.${part(claims)}.`;
}
