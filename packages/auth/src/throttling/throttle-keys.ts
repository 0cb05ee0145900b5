import { hkdfSync } from "node:crypto";
import type { AuthConfig } from "../config/options.ts";
import { hmacSha256 } from "../lib/crypto.ts";
import { throttleAddress } from "./throttle-address.ts";

/**
 * Every counter key that names a client address takes it through `throttleAddress`: an IPv6
 * client counts as its `/ipv6Prefix` network, an IPv4-mapped one as its IPv4 address.
 */
export interface ThrottleKeys {
  /** Failed sign-ins for one account from one address. */
  pair(email: string, ipAddress: string | null): string;
  /** Failed sign-ins for one account from every address. */
  account(email: string): string;
  /** Failed sign-ins from one address, whatever the account. */
  address(ipAddress: string): string;
  /** Registrations from one address. */
  registrations(ipAddress: string): string;
  /** Password-reset requests from one address, and for one email. */
  resetsFrom(ipAddress: string): string;
  resetsFor(email: string): string;
  /** Mail a signed-in user asked for (verification resends, email changes), per user. */
  userMail(kind: "verify" | "change", userId: string): string;
  /** Wrong second-factor codes for one account, from anywhere. */
  secondFactor(userId: string): string;
  /** `signin_throttled` events written for one account: a flood of refused attempts writes one a minute. */
  throttledEvents(userId: string): string;
}

/**
 * Counter keys as HMACs under a key derived from the secret. Emails and IPv4 addresses are
 * small, guessable spaces, so a plain hash would be reversible by enumeration: keyed, the
 * throttle table holds neither who tried to sign in nor from where.
 */
export function createThrottleKeys(config: Pick<AuthConfig, "secret" | "throttle">): ThrottleKeys {
  // A key of its own, so the JWT key is never used for anything else.
  const key = new Uint8Array(hkdfSync("sha256", config.secret, new Uint8Array(0), "bearer-kit throttle keys", 32));
  const mac = (...parts: string[]): string => hmacSha256(key, parts.join("\n"));
  const client = (ipAddress: string): string => throttleAddress(ipAddress, config.throttle.ipv6Prefix);
  return {
    // An unknown address shares one bucket per account: hosts should always pass the address.
    pair: (email, ipAddress) => `pair:${mac(email, ipAddress === null ? "" : client(ipAddress))}`,
    account: (email) => `account:${mac(email)}`,
    address: (ipAddress) => `ip:${mac(client(ipAddress))}`,
    registrations: (ipAddress) => `register:${mac(client(ipAddress))}`,
    resetsFrom: (ipAddress) => `reset-ip:${mac(client(ipAddress))}`,
    resetsFor: (email) => `reset-email:${mac(email)}`,
    userMail: (kind, userId) => `mail-${kind}:${mac(userId)}`,
    secondFactor: (userId) => `second-factor:${mac(userId)}`,
    throttledEvents: (userId) => `throttled-event:${mac(userId)}`,
  };
}
