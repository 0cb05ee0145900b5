import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const VERSION = "v1";

export interface KeyEncryption {
  /** AES-256-GCM; `kid` is bound as associated data. Returns `v1.<iv>.<ciphertext+tag>`. */
  encrypt(plaintext: string, kid: string): string;
  /** Throws when the blob was altered, moved to another row, or encrypted under another secret. */
  decrypt(blob: string, kid: string): string;
}

/**
 * Private signing keys at rest, encrypted under a key derived from the server secret.
 *
 * HKDF rather than the secret itself: the secret is a passphrase-like string that also keys the
 * HMACs of refresh successors and throttle counters; HKDF with a label of its own turns it into
 * a uniform 256-bit key used for nothing else (domain separation), so no other use of the secret
 * can leak or weaken this one. A database dump alone then yields no private key.
 * The kid is associated data, so a ciphertext copied onto another key's row fails to decrypt.
 */
export function createKeyEncryption(secret: Uint8Array): KeyEncryption {
  const key = new Uint8Array(hkdfSync("sha256", secret, new Uint8Array(0), "bearer-kit signing-key encryption", 32));
  return {
    encrypt(plaintext, kid) {
      // A random 96-bit nonce per key: a handful of keys per secret is far below GCM's limits.
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv).setAAD(Buffer.from(kid, "utf8"));
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
      return `${VERSION}.${iv.toString("base64url")}.${body.toString("base64url")}`;
    },
    decrypt(blob, kid) {
      const [version, ivText, bodyText] = blob.split(".");
      if (version !== VERSION || !ivText || !bodyText) throw new Error("auth: unreadable encrypted signing key");
      const body = Buffer.from(bodyText, "base64url");
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(ivText, "base64url"))
        .setAAD(Buffer.from(kid, "utf8"))
        .setAuthTag(body.subarray(body.length - 16));
      return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString("utf8");
    },
  };
}
