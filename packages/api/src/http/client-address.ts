import { isIP } from "node:net";

/**
 * The caller's IP address, from `x-forwarded-for`, counted from the right.
 *
 * Only the right end of `x-forwarded-for` can be trusted: each proxy appends the address of
 * whoever connected to it, while everything to the left came from the client and may be forged.
 * This API runs behind Next.js, which itself appends the socket address as the rightmost entry.
 * So:
 * - `trustedProxies = 0` (the default): the rightmost entry, the peer Next.js saw. Use this when
 *   Next.js faces the internet directly.
 * - `trustedProxies = n`: skip n more entries from the right, one per proxy you run in front of
 *   Next.js (a load balancer, a CDN), to reach the address the outermost trusted proxy saw.
 *
 * `null` when the header is absent, has fewer entries than that, or the entry is not an IP
 * address: a null address only switches off per-address throttling, never lets anything through.
 *
 * @example
 * // client -> load balancer -> Next.js: the balancer appended the client, Next.js the balancer.
 * clientAddress(new Headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.7, 10.0.0.2" }), 1) // "203.0.113.7"
 */
export function clientAddress(headers: Headers, trustedProxies = 0): string | null {
  const header = headers.get("x-forwarded-for");
  if (!header) return null;
  const entries = header.split(",").map((entry) => entry.trim());
  const entry = entries[entries.length - 1 - Math.max(0, Math.floor(trustedProxies))];
  return entry === undefined ? null : normalise(entry);
}

/** A bare IP address: ports and IPv6 brackets, which some proxies add, are removed. */
function normalise(entry: string): string | null {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry);
  const withoutPort = bracketed?.[1] ?? entry.replace(/^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/, "$1");
  return isIP(withoutPort) === 0 ? null : withoutPort.toLowerCase();
}
