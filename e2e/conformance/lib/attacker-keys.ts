import { CompactSign, exportJWK, generateKeyPair, type JWK, type JWSHeaderParameters } from "jose";
import type { JSONObject } from "./json.ts";

/** An RSA key pair only the attacker holds, with its public half as a JWK to embed in headers. */
export interface AttackerKey {
  publicJWK: JWK;
  /** Signs `payload` with RS256 under `header` (plus `alg`), as a forger would. */
  sign(header: JWSHeaderParameters, payload: JSONObject): Promise<string>;
}

let shared: Promise<AttackerKey> | undefined;

async function create(): Promise<AttackerKey> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const publicJWK = await exportJWK(publicKey);
  return {
    publicJWK,
    sign: (header, payload) =>
      new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
        .setProtectedHeader({ ...header, alg: "RS256" })
        .sign(privateKey),
  };
}

/**
 * The run's attacker key; generated once because RSA key generation is slow.
 *
 * @example const attacker = await attackerKey(); await attacker.sign({ jwk: attacker.publicJWK }, claims);
 */
export function attackerKey(): Promise<AttackerKey> {
  shared ??= create();
  return shared;
}
