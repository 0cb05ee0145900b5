import { hkdfSync } from "node:crypto";
import { hmacSha256, randomToken, sha256 } from "../lib/crypto.ts";

const WELL_FORMED = /^[A-Za-z0-9_-]{43}$/;

export interface RefreshTokens {
  /** A fresh opaque token: 256 random bits. */
  issue(): string;
  /** What is stored: SHA-256 of the token. The token itself never touches the database. */
  hash(token: string): string;
  /**
   * The token that replaces `token` on rotation: HMAC-SHA256 under a server key.
   * Deterministic, so a retry of the same token (a lost response, two tabs) gets the same
   * successor without the successor's plaintext ever being stored.
   */
  successor(token: string): string;
  isWellFormed(token: string): boolean;
}

export function createRefreshTokens(secret: Uint8Array): RefreshTokens {
  // A key of its own, derived from the secret, so the JWT key is never used for anything else.
  const key = new Uint8Array(hkdfSync("sha256", secret, new Uint8Array(0), "bearer-kit refresh-token successor", 32));
  return {
    issue: randomToken,
    hash: sha256,
    successor: (token) => hmacSha256(key, token),
    isWellFormed: (token) => WELL_FORMED.test(token),
  };
}
