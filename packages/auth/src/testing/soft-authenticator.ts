import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from "node:crypto";
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { isoBase64URL, isoCBOR, isoUint8Array } from "@simplewebauthn/server/helpers";

// A software authenticator: real ES256 keys, real CBOR attestation objects and real DER
// signatures, so the server's @simplewebauthn verifier checks them exactly as it checks a
// browser's. Every credential is resident (discoverable), like a platform passkey.

/** Whatever CBOR value isoCBOR encodes. */
type CBORValue = Parameters<typeof isoCBOR.encode>[0];

/** Bytes on a plain ArrayBuffer, as the isoUint8Array and isoBase64URL helpers take them. */
type Bytes = Uint8Array<ArrayBuffer>;

const ES256 = -7;
const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_BE = 0x08;
const FLAG_BS = 0x10;
const FLAG_AT = 0x40;
/** "none" attestation: an all-zero AAGUID, as browsers send when the RP does not ask for attestation. */
const AAGUID = new Uint8Array(16);

export interface SoftAuthenticatorOptions {
  /** The origin the "browser" reports in clientDataJSON, e.g. `http://localhost:3000`. */
  origin: string;
  /** A synced passkey: sets the BE and BS flags (backed up, multi-device). Default false (device-bound). */
  backupEligible?: boolean;
  /** Sets the UV flag (the user was verified, e.g. by biometrics). Default true. */
  userVerification?: boolean;
}

/** What a misbehaving client could change in a ceremony; the credential is still chosen by the options. */
export interface SoftCreateOverrides {
  /** The origin written into clientDataJSON. */
  origin?: string;
  /** The RP ID whose hash is written into the authenticator data. */
  rpId?: string;
}

export interface SoftGetOverrides extends SoftCreateOverrides {
  /**
   * Which held credential answers (base64url id), even one the options do not allow (a foreign
   * passkey); default the first held one that `allowCredentials` names, or any if it is empty.
   */
  credentialId?: string;
  /** The signature counter to sign, instead of the next one; it becomes the credential's counter. */
  counter?: number;
  /** The challenge written into clientDataJSON, instead of the options' one. */
  challenge?: string;
}

/** A credential as the authenticator holds it, without its private key. */
export interface SoftCredential {
  /** base64url credential id. */
  id: string;
  rpId: string;
  /** base64url user handle (the `user.id` of the creation options). */
  userHandle: string;
  /** The last signature counter signed (0 before the first assertion). */
  counter: number;
}

export interface SoftAuthenticator {
  /**
   * navigator.credentials.create: answers the creation options with a `"none"` attestation.
   * Throws when it already holds a credential named in `excludeCredentials`, or when ES256 is not offered.
   */
  create(options: PublicKeyCredentialCreationOptionsJSON, overrides?: SoftCreateOverrides): Promise<RegistrationResponseJSON>;
  /**
   * navigator.credentials.get: answers the request options with an assertion from a credential in
   * `allowCredentials`, or, when the list is empty (usernameless), the first resident credential
   * for the RP ID (or `overrides.credentialId`). Each assertion signs the next counter (1, 2, ...).
   */
  get(options: PublicKeyCredentialRequestOptionsJSON, overrides?: SoftGetOverrides): Promise<AuthenticationResponseJSON>;
  /** The credentials held, for assertions in tests. */
  readonly credentials: ReadonlyArray<SoftCredential>;
  /** Sets a credential's counter: the next assertion signs `counter + 1` (to simulate a clone going backwards). */
  setCounter(id: string, counter: number): void;
}

interface HeldCredential extends SoftCredential {
  privateKey: KeyObject;
}

/**
 * A software WebAuthn authenticator and client for tests: it answers the server's options as a
 * browser with a passkey would, so registration and sign-in run through the real verifier.
 *
 * @example
 * const authenticator = createSoftAuthenticator({ origin: "http://localhost:3000" });
 * const registration = await authenticator.create(await caller.account.passkeyRegistrationOptions({ password }));
 * await caller.account.addPasskey({ response: registration });
 * const assertion = await authenticator.get(await caller.auth.passkeySigninOptions({}));
 * await caller.auth.signinWithPasskey({ response: assertion });
 */
export function createSoftAuthenticator(options: SoftAuthenticatorOptions): SoftAuthenticator {
  const held: HeldCredential[] = [];
  const flags =
    FLAG_UP | (options.userVerification === false ? 0 : FLAG_UV) | (options.backupEligible ? FLAG_BE | FLAG_BS : 0);
  const rpIdOf = (rpId: string | undefined) => rpId ?? new URL(options.origin).hostname;
  const find = (id: string) => {
    const credential = held.find((candidate) => candidate.id === id);
    if (!credential) throw new Error(`The soft authenticator holds no credential ${id}`);
    return credential;
  };

  return {
    async create(creation, overrides = {}) {
      if (!creation.pubKeyCredParams.some((param) => param.alg === ES256)) {
        throw new Error("NotSupportedError: the soft authenticator signs only with ES256");
      }
      const excluded = new Set((creation.excludeCredentials ?? []).map((descriptor) => descriptor.id));
      if (held.some((credential) => excluded.has(credential.id))) {
        throw new Error("InvalidStateError: the authenticator already holds a credential in excludeCredentials");
      }
      const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
      const rawId = new Uint8Array(randomBytes(32));
      const id = isoBase64URL.fromBuffer(rawId);
      const rpId = rpIdOf(creation.rp.id);
      held.push({ id, rpId, userHandle: creation.user.id, counter: 0, privateKey });

      const credentialLength = new Uint8Array(2);
      new DataView(credentialLength.buffer).setUint16(0, rawId.length);
      const attestedCredentialData = isoUint8Array.concat([AAGUID, credentialLength, rawId, coseKey(publicKey)]);
      const authData = isoUint8Array.concat([
        authenticatorDataHead(overrides.rpId ?? rpId, flags | FLAG_AT, 0),
        attestedCredentialData,
      ]);
      const attestationObject = isoCBOR.encode(
        new Map<string, CBORValue>([
          ["fmt", "none"],
          ["attStmt", new Map()],
          ["authData", authData],
        ]),
      );
      const clientData = clientDataJSON("webauthn.create", creation.challenge, overrides.origin ?? options.origin);
      return {
        id,
        rawId: id,
        type: "public-key",
        authenticatorAttachment: "platform",
        clientExtensionResults: {},
        response: {
          clientDataJSON: isoBase64URL.fromBuffer(clientData),
          attestationObject: isoBase64URL.fromBuffer(attestationObject),
          authenticatorData: isoBase64URL.fromBuffer(authData),
          publicKeyAlgorithm: ES256,
          publicKey: isoBase64URL.fromBuffer(new Uint8Array(publicKey.export({ format: "der", type: "spki" }))),
          transports: ["internal", "hybrid"],
        },
      };
    },

    async get(request, overrides = {}) {
      const rpId = rpIdOf(request.rpId);
      const allowed = (request.allowCredentials ?? []).map((descriptor) => descriptor.id);
      const credential = overrides.credentialId
        ? find(overrides.credentialId)
        : held.find((candidate) => candidate.rpId === rpId && (allowed.length === 0 || allowed.includes(candidate.id)));
      if (!credential) throw new Error(`NotAllowedError: the soft authenticator holds no usable credential for ${rpId}`);
      credential.counter = overrides.counter ?? credential.counter + 1;

      const authData = authenticatorDataHead(overrides.rpId ?? rpId, flags, credential.counter);
      const clientData = clientDataJSON("webauthn.get", overrides.challenge ?? request.challenge, overrides.origin ?? options.origin);
      // WebAuthn signs authenticatorData || SHA-256(clientDataJSON); node signs ECDSA as DER, as WebAuthn expects.
      const signature = sign("sha256", isoUint8Array.concat([authData, sha256(clientData)]), credential.privateKey);
      return {
        id: credential.id,
        rawId: credential.id,
        type: "public-key",
        authenticatorAttachment: "platform",
        clientExtensionResults: {},
        response: {
          clientDataJSON: isoBase64URL.fromBuffer(clientData),
          authenticatorData: isoBase64URL.fromBuffer(authData),
          signature: isoBase64URL.fromBuffer(new Uint8Array(signature)),
          userHandle: credential.userHandle,
        },
      };
    },

    get credentials() {
      return held.map(({ id, rpId, userHandle, counter }) => ({ id, rpId, userHandle, counter }));
    },

    setCounter(id, counter) {
      find(id).counter = counter;
    },
  };
}

function sha256(data: Bytes): Bytes {
  return new Uint8Array(createHash("sha256").update(data).digest());
}

/** rpIdHash (32) | flags (1) | signCount (4, big-endian). */
function authenticatorDataHead(rpId: string, flags: number, counter: number): Bytes {
  const tail = new Uint8Array(5);
  const view = new DataView(tail.buffer);
  view.setUint8(0, flags);
  view.setUint32(1, counter);
  return isoUint8Array.concat([sha256(isoUint8Array.fromUTF8String(rpId)), tail]);
}

function clientDataJSON(type: "webauthn.create" | "webauthn.get", challenge: string, origin: string): Bytes {
  return isoUint8Array.fromUTF8String(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
}

/** The EC2 COSE_Key: kty 2 (EC2), alg -7 (ES256), crv 1 (P-256), x, y. */
function coseKey(publicKey: KeyObject): Bytes {
  const jwk = publicKey.export({ format: "jwk" });
  if (!jwk.x || !jwk.y) throw new Error("The generated P-256 key has no coordinates");
  return isoCBOR.encode(
    new Map<number, CBORValue>([
      [1, 2],
      [3, ES256],
      [-1, 1],
      [-2, isoBase64URL.toBuffer(jwk.x)],
      [-3, isoBase64URL.toBuffer(jwk.y)],
    ]),
  );
}
