import { createDPoPProver, type DPoPKeyPair, type DPoPProver } from "@bearer-kit/auth/client";
import type { DPoPKeyStore } from "./dpop-key-store.ts";

/** A fetch that signs a DPoP proof for each request; see `createDPoPFetch`. */
export interface DPoPFetch {
  fetch: typeof globalThis.fetch;
  /** Deletes the key (sign-out): the next request makes and stores a new one. */
  forgetKey(): Promise<void>;
  /** Reads the key from the store again on the next request (another tab may have deleted it). */
  reload(): void;
}

/** The server asks for a (fresh) nonce: RFC 9449 §8 (resource) and §9 (token endpoint). */
function wantsNonce(response: Response): boolean {
  if (response.status !== 401 && response.status !== 400) return false;
  return /error="use_dpop_nonce"/.test(response.headers.get("www-authenticate") ?? "");
}

/**
 * Wraps `fetch` so that every request carries `DPoP: <proof>` for its method and URL, signed
 * with the key in `keys`:
 * - a request sent as `Authorization: DPoP <token>` gets a proof that hashes the token (`ath`),
 *   so the token works only together with the key;
 * - one without a token (sign-in, the refresh through the httpOnly cookie) gets a plain proof,
 *   which binds the tokens the server answers to the key; the cookie alone is then not enough;
 * - one with a `Bearer` token (a server that did not bind it) goes as it is.
 * It remembers the server's latest `DPoP-Nonce` and, when the server refuses a proof for want of
 * one (`use_dpop_nonce`), sends the request once more with it.
 *
 * @example const dpop = createDPoPFetch({ fetch: globalThis.fetch, keys: defaultDPoPKeyStore("bk-dpop") });
 */
export function createDPoPFetch(parts: { fetch: typeof globalThis.fetch; keys: DPoPKeyStore }): DPoPFetch {
  const { fetch, keys } = parts;
  let nonce: string | undefined;
  // The key read from the store once, then reused: a proof per request must stay cheap.
  let prover: Promise<DPoPProver> | null = null;

  const currentProver = (): Promise<DPoPProver> => {
    prover ??= keys.get().then((keyPair: DPoPKeyPair) => createDPoPProver(keyPair));
    // A failed read is not cached: the next request tries the store again.
    prover.catch(() => {
      prover = null;
    });
    return prover;
  };

  async function send(request: Request): Promise<Response> {
    const [scheme, token] = (request.headers.get("authorization") ?? "").split(" ", 2);
    if (scheme === "Bearer") return fetch(request);
    const accessToken = scheme === "DPoP" && token ? token : undefined;
    const proof = await (await currentProver()).proof({ method: request.method, url: request.url, accessToken, nonce });
    const headers = new Headers(request.headers);
    headers.set("dpop", proof);
    const response = await fetch(new Request(request, { headers }));
    nonce = response.headers.get("dpop-nonce") ?? nonce;
    return response;
  }

  return {
    async fetch(input, init) {
      const request = new Request(input, init);
      // Kept for the one retry: a request's body can be read only once.
      const retry = request.clone();
      const sentNonce = nonce;
      const response = await send(request);
      if (!wantsNonce(response) || nonce === sentNonce) return response;
      return send(retry);
    },
    async forgetKey() {
      prover = null;
      await keys.delete();
    },
    reload() {
      prover = null;
    },
  };
}
