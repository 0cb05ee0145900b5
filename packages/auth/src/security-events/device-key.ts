/**
 * What "the same device" means for new-device detection: the browser and OS family of the user
 * agent, and the client's network (IPv4 /24, IPv6 /`ipv6Prefix`). Coarse on purpose: a browser
 * update or a new DHCP lease is not a new device, while a new browser, a new OS or a sign-in
 * from another network is.
 */
import { isIP } from "node:net";
import { throttleAddress } from "../throttling/throttle-address.ts";
import type { ClientInfo } from "../types.ts";

// Order matters: Edge, Opera and Samsung Internet also say "Chrome"; Chrome also says "Safari".
const BROWSERS: readonly (readonly [RegExp, string])[] = [
  [/Edg(?:e|A|iOS)?\//, "Edge"],
  [/OPR\/|Opera/, "Opera"],
  [/SamsungBrowser\//, "Samsung Internet"],
  [/Firefox\/|FxiOS\//, "Firefox"],
  [/HeadlessChrome\//, "Headless Chrome"],
  [/Chrome\/|CriOS\/|Chromium\//, "Chrome"],
  [/Safari\//, "Safari"],
  [/^curl\//, "curl"],
];

const SYSTEMS: readonly (readonly [RegExp, string])[] = [
  [/Android/, "Android"],
  [/iPhone|iPad|iPod/, "iOS"],
  [/Windows/, "Windows"],
  [/Mac OS X|Macintosh/, "macOS"],
  [/CrOS/, "ChromeOS"],
  [/Linux|X11/, "Linux"],
];

/**
 * The browser and OS family of a user agent, the same for every version of that browser.
 *
 * @example userAgentFamily("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36") // "Chrome on Linux"
 */
export function userAgentFamily(userAgent: string | null | undefined): string {
  if (!userAgent) return "Unknown device";
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1] ?? "Other browser";
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1] ?? "other OS";
  return `${browser} on ${system}`;
}

/**
 * The client's network: an IPv4 address's /24, an IPv6 address's /`ipv6Prefix` (an IPv4-mapped
 * one counts as IPv4), `unknown` without an address.
 *
 * @example addressPrefix("192.0.2.77", 64) // "192.0.2.0/24"
 */
export function addressPrefix(ipAddress: string | null | undefined, ipv6Prefix: number): string {
  if (!ipAddress) return "unknown";
  const key = throttleAddress(ipAddress, ipv6Prefix);
  if (isIP(key) !== 4) return key;
  return `${key.split(".").slice(0, 3).join(".")}.0/24`;
}

/**
 * The device key stored on `signin` events (`detail.device`) and compared by new-device detection.
 *
 * @example deviceKey({ userAgent, ipAddress: "192.0.2.77" }, 64) // "Chrome on Linux|192.0.2.0/24"
 */
export function deviceKey(client: ClientInfo, ipv6Prefix: number): string {
  return `${userAgentFamily(client.userAgent)}|${addressPrefix(client.ipAddress, ipv6Prefix)}`;
}
