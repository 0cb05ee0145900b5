import type { KeySetHolder } from "./key-set-types.ts";

/** Outside verifiers may cache this long; a key is published as `next` for at least as long before it signs. */
export const JWKS_MAX_AGE = 300;

/**
 * A fetch handler serving the published public keys (`next`, `current`, `previous`) as a JWKS.
 * Only public members leave: never `d`, `p`, `q`, `dp`, `dq`, `qi`, and never an HMAC key
 * (under HS* the set is empty: holding the secret would let a verifier mint tokens).
 *
 * @example
 * // app/.well-known/jwks.json/route.ts
 * export const GET = createJwksHandler(() => getAuth());
 */
export function createJwksHandler(auth: KeySetHolder | (() => Promise<KeySetHolder>)): (request: Request) => Promise<Response> {
  return async () => {
    try {
      const resolved = typeof auth === "function" ? await auth() : auth;
      const body = JSON.stringify(await resolved.keys.jwks());
      return new Response(body, {
        headers: {
          "content-type": "application/json",
          "cache-control": `public, max-age=${JWKS_MAX_AGE}`,
          "access-control-allow-origin": "*",
        },
      });
    } catch {
      // A failed reload (database down): verifiers retry; an error must not be cached as "no keys".
      return new Response(JSON.stringify({ error: "unavailable" }), {
        status: 503,
        headers: { "content-type": "application/json", "cache-control": "no-store", "retry-after": "5" },
      });
    }
  };
}
