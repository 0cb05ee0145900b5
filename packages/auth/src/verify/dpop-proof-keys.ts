import { calculateJwkThumbprint, type CryptoKey, importJWK, type JWK } from "jose";

/** A proof's public key, imported, and its RFC 7638 thumbprint. */
export interface ProofKey {
  key: CryptoKey;
  jkt: string;
}

export interface DPoPProofKeys {
  /** The key of a proof's header `jwk` under `alg`; throws when jose cannot import it as a public key. */
  get(jwk: JWK, alg: string): Promise<ProofKey>;
}

/**
 * The proof keys a verifier has imported, by the exact `jwk` and `alg` of the header. A client
 * signs every proof with one key, so importing it (and hashing its thumbprint) once, not per
 * request, halves a proof's cost. Only public keys are held, and a key is only ever used for the
 * very JWK it was imported from. At most `max`: past it the oldest goes, so a flood of new keys
 * costs what it would without the cache.
 *
 * @example const { key, jkt } = await createDPoPProofKeys(1000).get(header.jwk, header.alg);
 */
export function createDPoPProofKeys(max: number): DPoPProofKeys {
  const keys = new Map<string, Promise<ProofKey>>();
  return {
    get(jwk, alg) {
      const id = `${alg} ${JSON.stringify(jwk)}`;
      let entry = keys.get(id);
      if (entry) return entry;
      entry = (async () => {
        // As jose's EmbeddedJWK imports it: a private or symmetric key is refused.
        const key = await importJWK({ ...jwk, ext: true }, alg);
        if (key instanceof Uint8Array || key.type !== "public") throw new TypeError("the jwk must be a public key");
        return { key, jkt: await calculateJwkThumbprint(jwk, "sha256") };
      })();
      // A key that failed to import is not kept: the next proof tries (and fails) again.
      entry.catch(() => keys.delete(id));
      keys.set(id, entry);
      if (keys.size > max) keys.delete(keys.keys().next().value ?? "");
      return entry;
    },
  };
}
