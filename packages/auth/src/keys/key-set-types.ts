/**
 * What a key set offers, apart from how it is built (database keys, an external key, or none
 * under HS*): so every kind of key set, and everything that uses one, can name the shape
 * without importing the others.
 */
import type { webcrypto } from "node:crypto";
import type { AsymmetricAlgorithm } from "../config/algorithms.ts";
import type { PublicJWK } from "../database/schema.ts";
import type { KeyState } from "./key-rows.ts";

/** One key as `list()` reports it; never any private material. */
export interface SigningKeyInfo {
  kid: string;
  alg: string;
  state: KeyState;
  /** `AUTH_PRIVATE_KEY`: managed outside the database, cannot be rotated here. */
  external: boolean;
  createdAt: Date | null;
  activatedAt: Date | null;
  deactivatedAt: Date | null;
  retiredAt: Date | null;
  /** For a previous key: when it stops verifying (TTL + leeway after it stopped signing). */
  verifiesUntil: Date | null;
}

/** A public key as published: RFC 7517 members only. */
export type PublishedJWK = PublicJWK & { kid: string; alg: string; use: "sig" };

export interface JSONWebKeySet {
  keys: PublishedJWK[];
}

export interface KeySet {
  /** The key new tokens are signed with. */
  signer(): Promise<{ kid: string; alg: AsymmetricAlgorithm; key: webcrypto.CryptoKey }>;
  /** The published key with this `kid` that still verifies, or `null`. */
  verifier(kid: string): Promise<{ alg: AsymmetricAlgorithm; key: webcrypto.CryptoKey } | null>;
  /** The published public keys: current, next, then previous ones still verifying. */
  jwks(): Promise<JSONWebKeySet>;
  /** Every key with its state and dates, oldest first. */
  list(): Promise<SigningKeyInfo[]>;
  /** next → current, current → previous, and a fresh next. Returns the new list. */
  rotate(): Promise<SigningKeyInfo[]>;
  /** Refuses the key's tokens at once (here now; elsewhere within the reload interval). */
  retire(kid: string): Promise<SigningKeyInfo[]>;
}

/**
 * What the verified-token cache asks on every hit, without awaiting: whether a token signed
 * with this key may still be trusted. Internal: not part of the published `KeySet`.
 */
export interface KeyTrust {
  /**
   * True when the key set, as loaded less than `keyReloadInterval` ago, still verifies `kid`.
   * False when it does not, or when the copy is too old to say: the caller verifies in full,
   * which reloads it. So a retirement reaches cached tokens exactly as it reaches verification.
   */
  trusts(kid: string | undefined, nowMs: number): boolean;
  /** Forgets the loaded copy: the next use reloads it (a retirement was announced). */
  expire(): void;
}

/**
 * What the key handlers need of an `Auth`: its key set. Typed here rather than as `Auth`, which
 * the root factory defines on top of every capability, so keys/ never imports the layer above it.
 */
export interface KeySetHolder {
  readonly keys: KeySet;
}
