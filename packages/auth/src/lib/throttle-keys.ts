import { hkdfSync } from "node:crypto";
import { hmacSha256 } from "./crypto.ts";

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
}

/**
 * Counter keys as HMACs under a key derived from the secret. Emails and IPv4 addresses are
 * small, guessable spaces, so a plain hash would be reversible by enumeration: keyed, the
 * throttle table holds neither who tried to sign in nor from where.
 */
export function createThrottleKeys(secret: Uint8Array): ThrottleKeys {
  // A key of its own, so the JWT key is never used for anything else.
  const key = new Uint8Array(hkdfSync("sha256", secret, new Uint8Array(0), "bearer-kit throttle keys", 32));
  const mac = (...parts: string[]): string => hmacSha256(key, parts.join("\n"));
  return {
    // An unknown address shares one bucket per account: hosts should always pass the address.
    pair: (email, ipAddress) => `pair:${mac(email, ipAddress ?? "")}`,
    account: (email) => `account:${mac(email)}`,
    address: (ipAddress) => `ip:${mac(ipAddress)}`,
    registrations: (ipAddress) => `register:${mac(ipAddress)}`,
    resetsFrom: (ipAddress) => `reset-ip:${mac(ipAddress)}`,
    resetsFor: (email) => `reset-email:${mac(email)}`,
    userMail: (kind, userId) => `mail-${kind}:${mac(userId)}`,
  };
}
