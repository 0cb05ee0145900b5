/**
 * The access-token signing keys and what verification may trust.
 *
 * Lifecycle of a key in the database (ES256, EdDSA, RS256):
 * - `next`: published in the JWKS, signs nothing. Outside verifiers cache the JWKS (max-age
 *   300 s), so a key is published this way for at least that long before it signs.
 * - `current`: signs every new token. Exactly one (a partial unique index holds it).
 * - `previous`: published and verifying until the last token it signed has expired: TTL + leeway
 *   after it stopped signing. An instance may go on signing with it until its next reload, so
 *   the window counts from the rotation plus `keyReloadInterval`. Then it is neither published
 *   nor trusted.
 * - `retired`: unpublished and refused at once, whatever the token's `exp`.
 *
 * Each instance keeps a copy of the published keys and reloads it when older than
 * `keyReloadInterval` (10 s by default, at most 30 s), so a rotation or retirement made by any
 * process reaches every instance within that interval; a retirement's notification makes them
 * reload at once. A reload that read the table before a retirement committed never installs its
 * copy once the retirement is known here (keys/reloader.ts), so retiring is final. A token whose
 * `kid` is unknown triggers an immediate reload, at most once a second, so a flood of made-up
 * kids costs one query per second.
 */
import type { webcrypto } from "node:crypto";
import type { JWK } from "jose";
import { AuthError } from "../errors.ts";
import { rethrowDatabaseError } from "../database/db-errors.ts";
import { createKeyEncryption } from "./key-encryption.ts";
import type { KeySet, KeyTrust, SigningKeyInfo } from "./key-set-types.ts";
import { importKey } from "./key-material.ts";
import { allKeys, ensureKeys, type KeyRow, type KeyRowsContext, type KeyState, publishedKeys, retireKey, rotateKeys } from "./key-rows.ts";
import { createReloader } from "./reloader.ts";
import { externalKeySet, hmacKeySet, toPublished } from "./static-key-sets.ts";
import { type AsymmetricAlgorithm, isHMAC } from "../config/algorithms.ts";
import type { AuthConfig } from "../config/options.ts";
import type { PublicJWK } from "../database/schema.ts";

const UNKNOWN_KID_COOLDOWN_MS = 1000;

interface Entry {
  kid: string;
  alg: AsymmetricAlgorithm;
  state: KeyState;
  publicJwk: PublicJWK;
  verifyKey: webcrypto.CryptoKey;
  /** Infinity unless previous. */
  verifiesUntil: number;
}

interface Snapshot {
  loadedAt: number;
  entries: Map<string, Entry>;
  current: { kid: string; alg: AsymmetricAlgorithm; key: webcrypto.CryptoKey };
}

const ORDER: Record<KeyState, number> = { current: 0, next: 1, previous: 2, retired: 3 };

/** The key set for `config`: database keys, an external key, or none at all for HS*. */
export function createKeySet(config: AuthConfig): KeySet & KeyTrust {
  // The secret and an external key are never retired here: whatever verified once still does.
  const fixed: KeyTrust = { trusts: () => true, expire: () => {} };
  if (isHMAC(config.algorithm)) return { ...hmacKeySet(config.algorithm), ...fixed };
  const algorithm = config.algorithm;
  return config.privateKey === undefined
    ? databaseKeySet(config, algorithm)
    : { ...externalKeySet(config.privateKey, algorithm), ...fixed };
}

function databaseKeySet(config: AuthConfig, algorithm: AsymmetricAlgorithm): KeySet & KeyTrust {
  const encryption = createKeyEncryption(config.secret);
  // Rotation time + the longest another instance may still sign with it + a token's life.
  const verifyWindow = config.keyReloadInterval + config.ttl + config.leeway;
  const ctx: KeyRowsContext = { db: config.db, algorithm, encryption, verifyWindow, now: config.now };
  // Imported keys by kid, kept across reloads: a key's material never changes, only its state.
  const imported = new Map<string, Promise<webcrypto.CryptoKey>>();
  let ensured: Promise<void> | undefined;
  let lastForcedReload = -Infinity;

  const now = () => config.now().getTime();
  const verifiesUntil = (row: KeyRow) =>
    row.state === "previous" ? (row.deactivatedAt?.getTime() ?? 0) + verifyWindow * 1000 : Infinity;

  function importOnce(id: string, make: () => Promise<webcrypto.CryptoKey>): Promise<webcrypto.CryptoKey> {
    let key = imported.get(id);
    if (!key) {
      key = make();
      imported.set(id, key);
      key.catch(() => imported.delete(id));
    }
    return key;
  }

  async function privateKeyOf(row: KeyRow): Promise<webcrypto.CryptoKey> {
    return importOnce(`private:${row.kid}`, async () => {
      let jwk: string;
      try {
        jwk = encryption.decrypt(row.encryptedPrivateKey, row.kid);
      } catch (error) {
        throw new Error(`auth: cannot decrypt signing key ${row.kid}: was the key set created under another AUTH_SECRET?`, { cause: error });
      }
      return importKey(JSON.parse(jwk) as JWK, row.alg as AsymmetricAlgorithm);
    });
  }

  async function load(): Promise<Snapshot> {
    ensured ??= ensureKeys(ctx).catch((error: unknown) => {
      ensured = undefined;
      throw error;
    });
    await ensured;
    const loadedAt = now();
    const rows = (await publishedKeys(config.db)).filter((row) => verifiesUntil(row) > loadedAt);
    const entries = new Map<string, Entry>();
    for (const row of rows) {
      const alg = row.alg as AsymmetricAlgorithm;
      const verifyKey = await importOnce(`public:${row.kid}`, () => importKey(row.publicJwk as JWK, alg));
      entries.set(row.kid, { kid: row.kid, alg, state: row.state as KeyState, publicJwk: row.publicJwk, verifyKey, verifiesUntil: verifiesUntil(row) });
    }
    const currentRow = rows.find((row) => row.state === "current");
    if (!currentRow) throw new Error("auth: the key set has no current key");
    const current = { kid: currentRow.kid, alg: currentRow.alg as AsymmetricAlgorithm, key: await privateKeyOf(currentRow) };
    return { loadedAt, entries, current };
  }

  // A reload that read the table before a retirement committed must not install what it read
  // once the retirement is known (its notification, or `retire` here): the key would be trusted
  // again until the next reload. The reloader's generation throws such a read away.
  const copy = createReloader(load);

  function reload(): Promise<Snapshot> {
    return copy.reload().catch(rethrowDatabaseError);
  }

  async function fresh(): Promise<Snapshot> {
    const snapshot = copy.current;
    // A clock stepped backwards (NTP) makes the age negative: reload rather than trust it for long.
    const age = snapshot ? now() - snapshot.loadedAt : -1;
    if (snapshot && age >= 0 && age < config.keyReloadInterval * 1000) return snapshot;
    return reload();
  }

  async function list(): Promise<SigningKeyInfo[]> {
    await fresh();
    return (await allKeys(config.db).catch(rethrowDatabaseError)).map((row) => ({
      kid: row.kid,
      alg: row.alg,
      state: row.state as KeyState,
      external: false,
      createdAt: row.createdAt,
      activatedAt: row.activatedAt,
      deactivatedAt: row.deactivatedAt,
      retiredAt: row.retiredAt,
      verifiesUntil: row.state === "previous" ? new Date(verifiesUntil(row)) : null,
    }));
  }

  return {
    signer: async () => (await fresh()).current,

    trusts(kid, at) {
      const snapshot = copy.current;
      if (!snapshot || kid === undefined) return false;
      const age = at - snapshot.loadedAt;
      if (age < 0 || age >= config.keyReloadInterval * 1000) {
        // Reloaded in the background, so the next hit can answer; this one verifies in full.
        reload().catch(() => {});
        return false;
      }
      const entry = snapshot.entries.get(kid);
      return entry !== undefined && entry.verifiesUntil > at;
    },

    expire: () => copy.expire(),

    async verifier(kid) {
      let entry = (await fresh()).entries.get(kid);
      // A rate limit, so it runs on the monotonic clock rather than the configurable one.
      if (!entry && performance.now() - lastForcedReload >= UNKNOWN_KID_COOLDOWN_MS) {
        lastForcedReload = performance.now();
        entry = (await reload()).entries.get(kid);
      }
      // The clock moves between reloads: a previous key past its window is refused already.
      if (!entry || entry.verifiesUntil <= now()) return null;
      return { alg: entry.alg, key: entry.verifyKey };
    },

    async jwks() {
      const at = now();
      const entries = [...(await fresh()).entries.values()].filter((entry) => entry.verifiesUntil > at);
      return { keys: entries.sort((a, b) => ORDER[a.state] - ORDER[b.state]).map(toPublished) };
    },

    list,

    async rotate() {
      await fresh();
      await rotateKeys(ctx).catch(rethrowDatabaseError);
      copy.expire();
      await reload();
      return list();
    },

    async retire(kid) {
      if (typeof kid !== "string" || kid === "") throw new AuthError("NOT_FOUND", "No signing key has that kid.");
      await fresh();
      await retireKey(ctx, kid).catch(rethrowDatabaseError);
      // Committed: a reload already under way may have read the key as trusted.
      copy.expire();
      await reload();
      return list();
    },
  };
}
