/** How the session reaches the API: the tRPC endpoint, and the fetch that carries the cookie. */
export interface Transport {
  /** The tRPC endpoint, e.g. `/api/trpc` on the page's own origin. */
  url: string;
  fetch: typeof globalThis.fetch;
}

/**
 * How the access token travels: `Bearer`, or `DPoP` for a token the server bound to this
 * browser's key (`tokenType` of its answer), which then needs a proof on every request.
 */
export type TokenScheme = "Bearer" | "DPoP";

/**
 * Headers for every tRPC request. `x-auth-transport: cookie` asks the API to keep the refresh
 * token in an httpOnly cookie that scripts cannot read; the access token goes in `authorization`
 * under its scheme (default `Bearer`).
 *
 * @example transportHeaders("eyJ...") // { "x-auth-transport": "cookie", authorization: "Bearer eyJ..." }
 */
export function transportHeaders(accessToken: string | null, scheme: TokenScheme = "Bearer"): Record<string, string> {
  const headers: Record<string, string> = { "x-auth-transport": "cookie" };
  if (accessToken) headers.authorization = `${scheme} ${accessToken}`;
  return headers;
}
