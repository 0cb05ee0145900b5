import { createHash, createHmac, randomBytes } from "node:crypto";

/** 256 bits from the CSPRNG, base64url: unguessable, so a fast hash is enough to store it. */
export function randomToken(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * SHA-256, base64url. Used for refresh tokens: 256 random bits, so a fast unkeyed hash
 * cannot be reversed by guessing. Guessable inputs (emails, addresses) get an HMAC instead.
 */
export function sha256(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("base64url");
}

export function hmacSha256(key: Uint8Array, value: string): string {
  return createHmac("sha256", key).update(value, "utf8").digest("base64url");
}
