import { isIP } from "node:net";

export interface ClientAddressOptions {
  /** The address of the socket the host accepted the request on; `null` when the host cannot tell. */
  peerAddress: string | null | undefined;
  /** The request headers; only read when `trustedProxies > 0`. */
  headers: Headers;
  /** How many proxies you run in front of the host, each appending to `x-forwarded-for`. Default 0. */
  trustedProxies?: number;
}

/**
 * The caller's IP address: the peer the host accepted, or, behind proxies you run, the address
 * the outermost of them saw.
 *
 * No framework fixes `x-forwarded-for` for us (Next.js passes a client-sent value on as it is),
 * so only two things are trusted: the socket peer, which the host passes in, and the entries your
 * own proxies appended. Each proxy appends the address of whoever connected to it, so the list
 * `[...x-forwarded-for, peer]` is trustworthy only at its right end:
 * - `trustedProxies = 0` (the default): the peer. `x-forwarded-for` is not read at all, so a
 *   client cannot choose its session address or its throttling key by sending one.
 * - `trustedProxies = n`: the entry n places left of the peer, the address your outermost proxy
 *   saw. Everything further left came from the client and may be forged.
 *
 * `null` when the peer is unknown, the list is shorter than that, or the entry is not an IP
 * address: a null address only switches off per-address throttling, never lets anything through.
 *
 * @example
 * // client -> load balancer (10.0.0.2) -> app: the balancer appended the client it saw.
 * clientAddress({ peerAddress: "10.0.0.2", headers: new Headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.7" }), trustedProxies: 1 })
 * // "203.0.113.7"
 */
export function clientAddress(options: ClientAddressOptions): string | null {
  const { peerAddress, headers } = options;
  if (!peerAddress) return null;
  const hops = Math.max(0, Math.floor(options.trustedProxies ?? 0));
  if (hops === 0) return normalise(peerAddress);
  const forwarded = headers.get("x-forwarded-for");
  const entries = [...(forwarded ? forwarded.split(",").map((entry) => entry.trim()) : []), peerAddress];
  const entry = entries[entries.length - 1 - hops];
  return entry === undefined ? null : normalise(entry);
}

/** A bare IP address: ports and IPv6 brackets, which some proxies add, are removed. */
function normalise(entry: string): string | null {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry);
  const withoutPort = bracketed?.[1] ?? entry.replace(/^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/, "$1");
  return isIP(withoutPort) === 0 ? null : withoutPort.toLowerCase();
}
