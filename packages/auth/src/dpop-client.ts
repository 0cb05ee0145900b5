// The client side of DPoP (RFC 9449): a key the client cannot export, and a signed proof per
// request. WebCrypto and jose only, so it runs in browsers, Node 20 (globalThis.crypto) and edge
// runtimes; client.ts re-exports it.
import { base64url, calculateJwkThumbprint, type CryptoKey, exportJWK, type JWK, SignJWT } from "jose";

/**
 * A DPoP key pair: WebCrypto's `CryptoKeyPair`, spelled out with jose's `CryptoKey`, which is the
 * runtime's own, so the type fits with the DOM's types and with Node's.
 */
export interface DPoPKeyPair {
  publicKey: CryptoKey;
  privateKey: CryptoKey;
}

/** What one request's proof describes; see `DPoPProver.proof`. */
export interface DPoPProofRequest {
  /** The HTTP method as sent, e.g. `POST` (`new Request(...).method` normalizes it). */
  method: string;
  /** The request's absolute URL; its query and fragment are left out of the proof (`htu`). */
  url: string | URL;
  /** The access token the request carries as `Authorization: DPoP <token>`: the proof then hashes it (`ath`). */
  accessToken?: string;
  /** The server's latest `DPoP-Nonce`, when it asks for one. */
  nonce?: string;
}

/** Signs DPoP proofs with one key pair; see `createDPoPProver`. */
export interface DPoPProver {
  /** The key's RFC 7638 SHA-256 thumbprint: the `cnf.jkt` of the tokens bound to it. */
  jkt(): Promise<string>;
  /** A fresh proof (`typ: dpop+jwt`, ES256) for one request: send it as the `DPoP` header. */
  proof(request: DPoPProofRequest): Promise<string>;
}

/**
 * A new ECDSA P-256 key pair for DPoP. The private key is not extractable: scripts can sign with
 * it but never read it, so a stolen token cannot be used elsewhere. A browser can keep the
 * key pair itself in IndexedDB, where it stays unreadable.
 *
 * @example const keyPair = await createDPoPKeyPair();
 */
export async function createDPoPKeyPair(): Promise<DPoPKeyPair> {
  return crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
}

/** `htu`: the URL without query and fragment (RFC 9449 §4.2), which may carry secrets. */
function targetURI(url: string | URL): string {
  const parsed = new URL(url);
  parsed.search = "";
  parsed.hash = "";
  return parsed.href;
}

/** `ath`: base64url(SHA-256(ASCII token)). */
async function accessTokenHash(accessToken: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(accessToken));
  return base64url.encode(new Uint8Array(digest));
}

/**
 * Signs DPoP proofs with `keyPair` (from `createDPoPKeyPair`, or a stored one). Each proof has a
 * random `jti`, so a server that remembers them refuses it a second time.
 *
 * @example
 * const prover = createDPoPProver(await createDPoPKeyPair());
 * const response = await fetch(url, {
 *   headers: { authorization: `DPoP ${token}`, dpop: await prover.proof({ method: "GET", url, accessToken: token }) },
 * });
 */
export function createDPoPProver(keyPair: DPoPKeyPair): DPoPProver {
  // Only the public half, as a plain JWK: the header must never carry `d` (or `ext`/`key_ops`).
  const publicJWK: Promise<JWK> = exportJWK(keyPair.publicKey).then(({ kty, crv, x, y }) => ({ kty, crv, x, y }));
  return {
    jkt: async () => calculateJwkThumbprint(await publicJWK, "sha256"),
    async proof({ method, url, accessToken, nonce }) {
      const claims: Record<string, string> = { htm: method, htu: targetURI(url) };
      if (accessToken !== undefined) claims.ath = await accessTokenHash(accessToken);
      if (nonce !== undefined) claims.nonce = nonce;
      return new SignJWT(claims)
        .setProtectedHeader({ typ: "dpop+jwt", alg: "ES256", jwk: await publicJWK })
        .setJti(crypto.randomUUID())
        .setIssuedAt()
        .sign(keyPair.privateKey);
    },
  };
}
