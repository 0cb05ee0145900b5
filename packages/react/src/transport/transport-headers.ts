/** How the session reaches the API: the tRPC endpoint, and the fetch that carries the cookie. */
export interface Transport {
  /** The tRPC endpoint, e.g. `/api/trpc` on the page's own origin. */
  url: string;
  fetch: typeof globalThis.fetch;
}

/**
 * Headers for every tRPC request. `x-auth-transport: cookie` asks the API to keep the refresh
 * token in an httpOnly cookie that scripts cannot read; the access token goes as a bearer header.
 *
 * @example transportHeaders("eyJ...") // { "x-auth-transport": "cookie", authorization: "Bearer eyJ..." }
 */
export function transportHeaders(accessToken: string | null): Record<string, string> {
  const headers: Record<string, string> = { "x-auth-transport": "cookie" };
  if (accessToken) headers.authorization = `Bearer ${accessToken}`;
  return headers;
}
