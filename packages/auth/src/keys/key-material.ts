import { generateKeyPair, type KeyObject, type webcrypto } from "node:crypto";
import { promisify } from "node:util";
import { calculateJwkThumbprint, importJWK, type JWK } from "jose";
import type { AsymmetricAlgorithm } from "../config/algorithms.ts";
import type { PublicJWK } from "../database/schema.ts";

const generate = promisify(generateKeyPair);

export interface KeyMaterial {
  /** RFC 7638 thumbprint of the public key. */
  kid: string;
  alg: AsymmetricAlgorithm;
  publicJwk: PublicJWK;
  /** The private JWK as JSON: what gets encrypted at rest. */
  privateJwk: string;
}

/**
 * The public members of a JWK, by allowlist: whatever the input holds (`d`, `p`, `q`, `dp`,
 * `dq`, `qi`, or a symmetric `k`), only these can ever be stored as public or published.
 */
export function publicMembers(jwk: JWK): PublicJWK {
  const { kty, crv, x, y, n, e } = jwk;
  if (typeof kty !== "string" || kty === "oct") throw new TypeError("auth: not an asymmetric key");
  return { kty, ...(crv && { crv }), ...(x && { x }), ...(y && { y }), ...(n && { n }), ...(e && { e }) };
}

/** Describes a private key: its kid, public JWK and private JWK. */
export async function keyMaterial(privateKey: KeyObject, alg: AsymmetricAlgorithm): Promise<KeyMaterial> {
  const privateJwk = privateKey.export({ format: "jwk" }) as JWK;
  const publicJwk = publicMembers(privateJwk);
  return { kid: await calculateJwkThumbprint(publicJwk as JWK, "sha256"), alg, publicJwk, privateJwk: JSON.stringify(privateJwk) };
}

/** A fresh key pair for `alg` from the CSPRNG. */
export async function generateKeyMaterial(alg: AsymmetricAlgorithm): Promise<KeyMaterial> {
  const pair =
    alg === "ES256"
      ? await generate("ec", { namedCurve: "P-256" })
      : alg === "EdDSA"
        ? await generate("ed25519")
        : await generate("rsa", { modulusLength: 2048 });
  return keyMaterial(pair.privateKey, alg);
}

/** Imports a JWK as a non-extractable webcrypto.CryptoKey pinned to `alg` (jose refuses it for any other). */
export async function importKey(jwk: JWK, alg: AsymmetricAlgorithm): Promise<webcrypto.CryptoKey> {
  const key = await importJWK(jwk, alg, { extractable: false });
  if (key instanceof Uint8Array) throw new TypeError("auth: a symmetric key cannot be a signing key");
  return key;
}
