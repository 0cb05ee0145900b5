import { createPrivateKey, type JsonWebKey, type KeyObject } from "node:crypto";
import type { Algorithm } from "./algorithms.ts";

/**
 * Reads a private key given as PKCS#8 (or SEC1/PKCS#1) PEM, or as a JWK in JSON.
 * Throws on anything else, a public key included.
 */
export function readPrivateKey(text: string): KeyObject {
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) {
    const jwk = JSON.parse(trimmed) as JsonWebKey;
    return createPrivateKey({ key: jwk, format: "jwk" });
  }
  return createPrivateKey({ key: trimmed, format: "pem" });
}

/** Why `key` cannot sign `algorithm`, or `null` when it can. */
export function keyAlgorithmProblem(key: KeyObject, algorithm: Algorithm): string | null {
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  switch (algorithm) {
    case "ES256":
      return type === "ec" && details.namedCurve === "prime256v1" ? null : "must be a P-256 EC key for ES256";
    case "EdDSA":
      return type === "ed25519" ? null : "must be an Ed25519 key for EdDSA";
    case "RS256":
      // RFC 7518 §3.3: 2048 bits at least.
      return type === "rsa" && (details.modulusLength ?? 0) >= 2048 ? null : "must be an RSA key of 2048 bits or more for RS256";
    default:
      return `cannot be used with ${algorithm}: HS* signs with the secret; choose ES256, EdDSA or RS256`;
  }
}

/**
 * Why `text` is not a usable private key for `algorithm`, or `null`: for start-up checks that
 * name the variable (the key itself never appears in the message).
 *
 * @example privateKeyProblem(env.AUTH_PRIVATE_KEY, "ES256")
 */
export function privateKeyProblem(text: string, algorithm: Algorithm): string | null {
  let key: KeyObject;
  try {
    key = readPrivateKey(text);
  } catch {
    return "must be a private key as PKCS#8 PEM or a JWK in JSON";
  }
  return keyAlgorithmProblem(key, algorithm);
}
