import type { JWK } from "jose";
import type { KeySet, PublishedJWK } from "./key-set-types.ts";
import type { AsymmetricAlgorithm } from "../config/algorithms.ts";
import type { PublicJWK } from "../database/schema.ts";
import { importKey, keyMaterial } from "./key-material.ts";
import { readPrivateKey } from "../config/private-key.ts";

/** A key as the JWKS publishes it: public members, `kid`, `alg` and `use`. */
export function toPublished(key: { kid: string; alg: string; publicJwk: PublicJWK }): PublishedJWK {
  return { ...key.publicJwk, kid: key.kid, alg: key.alg, use: "sig" };
}

function unsupported(message: string): () => Promise<never> {
  return async () => {
    throw new TypeError(`auth: ${message}`);
  };
}

/** HS*: the secret signs; an HMAC key is never published, so the JWKS is empty. */
export function hmacKeySet(algorithm: string): KeySet {
  const misuse = unsupported(`${algorithm} signs with AUTH_SECRET: there is no key set to use, rotate or retire`);
  return { signer: misuse, verifier: misuse, jwks: async () => ({ keys: [] }), list: async () => [], rotate: misuse, retire: misuse };
}

/** AUTH_PRIVATE_KEY: one key, managed outside; it signs and is the only one published. */
export function externalKeySet(text: string, algorithm: AsymmetricAlgorithm): KeySet {
  const loaded = (async () => {
    const material = await keyMaterial(readPrivateKey(text), algorithm);
    const key = await importKey(JSON.parse(material.privateJwk) as JWK, algorithm);
    const verifyKey = await importKey(material.publicJwk as JWK, algorithm);
    const entry = { kid: material.kid, alg: algorithm, publicJwk: material.publicJwk, verifyKey };
    return { entry, signer: { kid: material.kid, alg: algorithm, key } };
  })();
  const misuse = unsupported("the signing key is managed outside (AUTH_PRIVATE_KEY): rotate it where it is kept");
  return {
    signer: async () => (await loaded).signer,
    verifier: async (kid) => {
      const { entry } = await loaded;
      return kid === entry.kid ? { alg: entry.alg, key: entry.verifyKey } : null;
    },
    jwks: async () => ({ keys: [toPublished((await loaded).entry)] }),
    list: async () => {
      const { entry } = await loaded;
      const none = { createdAt: null, activatedAt: null, deactivatedAt: null, retiredAt: null, verifiesUntil: null };
      return [{ kid: entry.kid, alg: entry.alg, state: "current", external: true, ...none }];
    },
    rotate: misuse,
    retire: misuse,
  };
}

