import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The HKDF label of the key that seals TOTP secrets; no other use of the server secret shares it. */
export const TOTP_SECRET_LABEL = "bearer-kit totp-secret encryption";

/**
 * Seals short secrets at rest, each bound to its owner.
 *
 * @example
 * const box = createSecretBox(config.secret, TOTP_SECRET_LABEL);
 * const sealed = box.seal(base32Secret, userId); // "v1.<iv>.<ciphertext+tag>"
 * box.open(sealed, userId) === base32Secret;
 */
export interface SecretBox {
  /** AES-256-GCM under the box's key, with `owner` as associated data. */
  seal(plaintext: string, owner: string): string;
  /** Throws when the blob was altered, copied to another owner, or sealed under another secret or label. */
  open(sealed: string, owner: string): string;
}

/**
 * A box whose key is derived from the server secret with HKDF and a label of its own.
 *
 * HKDF, not the secret itself: the secret also keys the JWT HMAC (HS*), refresh successors and
 * throttle counters; the label turns it into a uniform 256-bit key used for this alone, so a flaw
 * in any other use can neither leak nor weaken this one. A database dump alone then holds no
 * usable secret. The owner (a user id) is associated data, so a ciphertext copied onto another
 * user's row fails to open instead of handing that user the copied factor.
 */
export function createSecretBox(secret: Uint8Array, label: string): SecretBox {
  const key = new Uint8Array(hkdfSync("sha256", secret, new Uint8Array(0), label, 32));
  return {
    seal(plaintext, owner) {
      // A random 96-bit nonce per seal: one seal per enrolment is far below GCM's 2^32 bound.
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", key, iv).setAAD(Buffer.from(owner, "utf8"));
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
      return `${VERSION}.${iv.toString("base64url")}.${body.toString("base64url")}`;
    },
    open(sealed, owner) {
      const [version, ivText, bodyText, extra] = sealed.split(".");
      if (version !== VERSION || !ivText || !bodyText || extra !== undefined) throw new Error("auth: unreadable sealed secret");
      const iv = Buffer.from(ivText, "base64url");
      const body = Buffer.from(bodyText, "base64url");
      if (iv.length !== IV_BYTES || body.length < TAG_BYTES) throw new Error("auth: unreadable sealed secret");
      const decipher = createDecipheriv("aes-256-gcm", key, iv)
        .setAAD(Buffer.from(owner, "utf8"))
        .setAuthTag(body.subarray(body.length - TAG_BYTES));
      return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString("utf8");
    },
  };
}
