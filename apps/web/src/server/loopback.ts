import { isIP } from "node:net";

/**
 * True for 127.0.0.0/8, ::1 and their IPv4-mapped IPv6 form (`::ffff:127.0.0.1`), the shapes
 * Node reports for a socket on this machine. Anything else, and anything that is not an IP
 * address at all, is false.
 *
 * @example isLoopbackAddress("::ffff:127.0.0.1") // true
 */
export function isLoopbackAddress(address: string | null): boolean {
  if (address === null) return false;
  const unmapped = address.toLowerCase().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
  if (isIP(unmapped) === 4) return unmapped.startsWith("127.");
  if (isIP(unmapped) !== 6) return false;
  // The URL parser writes every spelling of ::1 (0:0:0:0:0:0:0:1, ::0001) the same way; a
  // scoped address (fe80::1%eth0) does not parse, and is not loopback anyway.
  const url = URL.parse(`http://[${unmapped}]`);
  return url?.hostname === "[::1]";
}

/**
 * True when a `Host` header names this machine: `localhost` or a loopback IP. A loopback peer
 * alone is not enough: a page on another site can rebind its own name to 127.0.0.1 (DNS
 * rebinding) and read the answer as same-origin, but its requests still carry that name.
 *
 * @example isLocalHost("localhost:3000") // true
 */
export function isLocalHost(host: string | null): boolean {
  if (host === null) return false;
  const hostname = URL.parse(`http://${host}`)?.hostname.toLowerCase();
  if (hostname === undefined) return false;
  return hostname === "localhost" || isLoopbackAddress(hostname.replace(/^\[(.*)\]$/, "$1"));
}
