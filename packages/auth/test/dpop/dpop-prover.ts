// Test proofs, made the way a client makes them (RFC 9449 §4.2) with jose, and a few ways a
// client (or an attacker) can make them wrong.
import { randomUUID } from "node:crypto";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { accessTokenHash } from "../../src/dpop/dpop-proof.ts";
import type { DPoPRequest } from "../../src/types.ts";

export const APP = "http://localhost:3000";
export const SIGNIN_URL = `${APP}/api/trpc/auth.signin`;
export const REFRESH_URL = `${APP}/api/trpc/auth.refresh`;
export const ME_URL = `${APP}/api/trpc/auth.me`;

export interface ProofOptions {
  method?: string;
  url: string;
  accessToken?: string;
  nonce?: string;
  /** Seconds since the epoch; default the clock's now. */
  iat?: number;
  jti?: string;
  /** Leave out `ath` even with an access token. */
  omitAth?: boolean;
  /** Headers to add or override (e.g. `alg`, `typ`, a `jwk` with a private part). */
  header?: Record<string, unknown>;
}

export interface TestProver {
  jkt: string;
  publicJwk: JWK;
  privateJwk: JWK;
  /** A proof and the request it is for, as `ClientInfo.dpop` takes them. */
  request(options: ProofOptions): Promise<DPoPRequest>;
}

export async function createTestProver(now: () => Date, alg: "ES256" | "EdDSA" = "ES256"): Promise<TestProver> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const privateJwk = await exportJWK(privateKey);
  return {
    jkt: await calculateJwkThumbprint(publicJwk, "sha256"),
    publicJwk,
    privateJwk,
    async request(options) {
      const method = options.method ?? "POST";
      const claims: Record<string, unknown> = {
        jti: options.jti ?? randomUUID(),
        htm: method,
        htu: options.url,
        iat: options.iat ?? Math.floor(now().getTime() / 1000),
        ...(options.accessToken !== undefined && !options.omitAth && { ath: accessTokenHash(options.accessToken) }),
        ...(options.nonce !== undefined && { nonce: options.nonce }),
      };
      const proof = await new SignJWT(claims).setProtectedHeader({ alg, typ: "dpop+jwt", jwk: publicJwk, ...options.header } as never).sign(privateKey);
      return { proof, htm: method, htu: options.url };
    },
  };
}

/** An unsigned JWT (`alg: none`) with the proof's shape. */
export function unsignedProof(claims: Record<string, unknown>, jwk: JWK): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "none", typ: "dpop+jwt", jwk })}.${part(claims)}.`;
}
