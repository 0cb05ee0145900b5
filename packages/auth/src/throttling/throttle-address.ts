import { isIP } from "node:net";

/** 16-bit groups in an IPv6 address. */
const GROUPS = 8;

/** The eight 16-bit groups of an address `isIP` accepted as IPv6 (zone id already removed). */
function groupsOf(address: string): number[] {
  const [head = "", tail] = address.split("::");
  const parse = (part: string): number[] => {
    if (part === "") return [];
    return part.split(":").flatMap((group) => {
      if (!group.includes(".")) return [Number.parseInt(group, 16)];
      // An embedded IPv4 tail ("::ffff:192.0.2.1") is the last 32 bits.
      const [a = 0, b = 0, c = 0, d = 0] = group.split(".").map(Number);
      return [(a << 8) | b, (c << 8) | d];
    });
  };
  const left = parse(head);
  if (tail === undefined) return left;
  const right = parse(tail);
  return [...left, ...Array<number>(Math.max(0, GROUPS - left.length - right.length)).fill(0), ...right];
}

/** `::ffff:a.b.c.d` (RFC 4291 §2.5.5.2): an IPv4 client reaching a dual-stack socket. */
function mappedIPv4(groups: readonly number[]): string | null {
  const isMapped = groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
  if (!isMapped) return null;
  const [high = 0, low = 0] = groups.slice(6);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join(".");
}

/** The first `bits` bits as a network, e.g. `2001:db8:0:1::/64`: one canonical text per prefix. */
function network(groups: readonly number[], bits: number): string {
  const masked = groups.map((group, i) => {
    const kept = Math.min(16, Math.max(0, bits - i * 16));
    return kept === 0 ? 0 : group & ((0xffff << (16 - kept)) & 0xffff);
  });
  return `${masked.map((group) => group.toString(16)).join(":")}/${bits}`;
}

/**
 * The part of a client address that per-address limits count on.
 *
 * IPv4: the address itself. IPv6: its first `ipv6Prefix` bits, because one subscriber or one
 * rented server gets a whole /64 (2^64 addresses), and keyed on the full address a limit of 20
 * would never bind. IPv4-mapped IPv6 (`::ffff:192.0.2.1`, what a dual-stack socket reports for
 * an IPv4 peer) counts as its IPv4 address, so the same client has one budget on either socket.
 * A zone id (`fe80::1%eth0`) names a local interface, not a client, and is dropped. Text that is
 * no IP address (a host passing something else) is its own key, exactly as given.
 *
 * @example throttleAddress("2001:db8:0:1:aaaa::1", 64) // "2001:db8:0:1:0:0:0:0/64"
 * @example throttleAddress("::ffff:192.0.2.1", 64) // "192.0.2.1"
 */
export function throttleAddress(ipAddress: string, ipv6Prefix: number): string {
  const bracketed = /^\[(.*)\]$/.exec(ipAddress)?.[1] ?? ipAddress;
  const kind = isIP(bracketed);
  if (kind === 4) return bracketed;
  if (kind !== 6) return ipAddress;
  const groups = groupsOf(bracketed.replace(/%.*$/, ""));
  // isIP vouched for the text; this only guards the parse above against a form it let through.
  if (groups.length !== GROUPS || groups.some((group) => !(group >= 0 && group <= 0xffff))) return ipAddress;
  return mappedIPv4(groups) ?? network(groups, ipv6Prefix);
}
