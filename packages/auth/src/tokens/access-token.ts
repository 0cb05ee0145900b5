import { randomUUID, webcrypto } from "node:crypto";
import { errors, type JWSHeaderParameters, jwtVerify, SignJWT } from "jose";
import { AuthError } from "../errors.ts";
import type { KeySet, KeyTrust } from "../keys/key-set-types.ts";
import { LRU } from "../lib/lru.ts";
import { ASYMMETRIC_ALGORITHMS, type HMACAlgorithm, isHMAC } from "../config/algorithms.ts";
import type { AuthConfig } from "../config/options.ts";
import type { AccessToken } from "../types.ts";

/** RFC 9068 access-token type; verification requires it, so no other JWT of ours passes as one. */
const TOKEN_TYPE = "at+jwt";
/** Longer than any token we issue; refuses oversized input before any parsing. */
export const MAX_TOKEN_LENGTH = 4096;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface AccessClaims {
  sub: string;
  sid: string;
  exp: number;
}

export interface AccessTokens {
  /** Signs a token for the session, carrying its `amr` (RFC 8176) for other services to read; none without one (benchmarks). */
  sign(session: { id: string; userId: string; amr?: readonly string[]; dpopJkt?: string | null }): Promise<AccessToken>;
  /** Verifies signature and claims; throws `TOKEN_EXPIRED` or `TOKEN_INVALID`. Remembers a token that passes. */
  verify(token: string): Promise<AccessClaims>;
  /**
   * The claims of a token `verify` passed before, when they still hold at `nowMs` and its key
   * is still trusted; otherwise `undefined`, and the caller verifies in full. No await, no crypto.
   */
  verified(token: string, nowMs: number): AccessClaims | undefined;
}

/** A verified token's claims, and what its time checks need. */
interface VerifiedToken extends AccessClaims {
  /** The later of `nbf` and `iat`, in seconds: both must not lie in the future beyond the leeway. */
  notBefore: number;
  kid: string | undefined;
}

const invalid = (cause?: unknown) => new AuthError("TOKEN_INVALID", "The access token is invalid.", { cause });

/** What signs and what verifies: the shared secret (HS*), or a key pinned by `kid`. */
interface TokenKeys {
  /** The algorithms any token may name; the key found then pins its own. */
  algorithms: string[];
  signer(): Promise<{ alg: string; kid?: string; key: webcrypto.CryptoKey }>;
  /** The key for this header, its algorithm pinned; throws `TOKEN_INVALID` when there is none. */
  verifier(header: { alg?: string; kid?: string }): Promise<{ alg: string; key: webcrypto.CryptoKey }>;
}

function secretKeys(config: AuthConfig, algorithm: HMACAlgorithm): TokenKeys {
  // Imported once as a CryptoKey. jose 6 runs on Web Crypto: raw bytes (or a Node KeyObject)
  // are re-imported on every call, which `pnpm bench` measures at about half the throughput.
  const key: Promise<webcrypto.CryptoKey> = webcrypto.subtle.importKey(
    "raw",
    config.secret,
    { name: "HMAC", hash: `SHA-${algorithm.slice(2)}` },
    false,
    ["sign", "verify"],
  );
  return {
    algorithms: [algorithm],
    signer: async () => ({ alg: algorithm, key: await key }),
    // Pinned: the header's `alg` is never trusted (no `none`, no HS/RS confusion).
    verifier: async () => ({ alg: algorithm, key: await key }),
  };
}

function keySetKeys(keys: KeySet): TokenKeys {
  return {
    algorithms: [...ASYMMETRIC_ALGORITHMS],
    signer: () => keys.signer(),
    async verifier(header) {
      // The key is found by `kid` among the published ones only, and its own algorithm is the
      // only one accepted: a token claiming HS256 (say, with the public key's bytes as the HMAC
      // secret) or `none` never reaches a verification with an algorithm the key was not made for.
      if (typeof header.kid !== "string") throw invalid();
      const found = await keys.verifier(header.kid);
      if (!found || header.alg !== found.alg) throw invalid();
      return found;
    },
  };
}

export function createAccessTokens(config: AuthConfig, keySet: KeySet & KeyTrust): AccessTokens {
  const keys = isHMAC(config.algorithm) ? secretKeys(config, config.algorithm) : keySetKeys(keySet);
  const epoch = () => Math.floor(config.now().getTime() / 1000);
  // Verified tokens, keyed by the token string itself: the same bytes verify the same way, so a
  // hit may skip the signature. What can change is checked again on every hit: `exp`, `nbf` and
  // `iat` against the clock with the verifier's own leeway, and the key's trust (keys.trusts),
  // since a retired key revokes its tokens at once. Revoked sessions are not this cache's
  // concern: a token only names its session, which is looked up (or cached) separately.
  const cache = new LRU<string, VerifiedToken>(config.sessionCacheSize);

  return {
    async sign(session) {
      const iat = epoch();
      const exp = iat + config.ttl;
      const signer = await keys.signer();
      const token = await new SignJWT({
        sid: session.id,
        ...(session.amr && { amr: [...session.amr] }),
        // RFC 9449 §6.1: the thumbprint of the key a bound session's tokens must be used with.
        ...(session.dpopJkt && { cnf: { jkt: session.dpopJkt } }),
      })
        .setProtectedHeader({ alg: signer.alg, typ: TOKEN_TYPE, ...(signer.kid !== undefined && { kid: signer.kid }) })
        .setIssuer(config.issuer)
        .setAudience(config.audience)
        .setSubject(session.userId)
        .setIssuedAt(iat)
        .setNotBefore(iat)
        .setExpirationTime(exp)
        .setJti(randomUUID())
        .sign(signer.key);
      return { token, expiresAt: new Date(exp * 1000) };
    },

    verified(token, nowMs) {
      const entry = cache.get(token);
      if (entry === undefined) return undefined;
      const now = nowMs / 1000;
      // The comparisons jose makes (exp <= now - tolerance is expired; nbf > now + tolerance is early).
      if (entry.exp <= now - config.leeway || entry.notBefore > now + config.leeway || !keySet.trusts(entry.kid, nowMs)) {
        return undefined;
      }
      return entry;
    },

    async verify(token) {
      if (token.length > MAX_TOKEN_LENGTH) throw invalid();
      // jose decodes the header once and hands it here; a key-lookup failure (a database outage
      // while reloading the key set) is passed on as it is, not mistaken for a bad token.
      let lookupFailure: unknown;
      let kid: string | undefined;
      const keyFor = (header: JWSHeaderParameters) => {
        kid = header.kid;
        return keys.verifier(header).then(
          (found) => found.key,
          (error: unknown) => {
            lookupFailure = error;
            throw error;
          },
        );
      };
      let payload;
      try {
        ({ payload } = await jwtVerify(token, keyFor, {
          algorithms: keys.algorithms,
          typ: TOKEN_TYPE,
          issuer: config.issuer,
          audience: config.audience,
          clockTolerance: config.leeway,
          currentDate: config.now(),
          requiredClaims: ["exp", "iat", "sub", "sid", "iss", "aud", "jti"],
        }));
      } catch (error) {
        if (error === lookupFailure) throw error;
        if (error instanceof errors.JWTExpired) {
          throw new AuthError("TOKEN_EXPIRED", "The access token has expired.", { cause: error });
        }
        throw invalid(error);
      }
      const { sub, sid, iat, exp, jti, nbf } = payload;
      // jose checks `exp` and `nbf` but not an `iat` from the future; a token minted ahead is forged or skewed.
      if (typeof iat !== "number" || iat > epoch() + config.leeway) throw invalid();
      if (typeof exp !== "number" || typeof sub !== "string" || typeof sid !== "string" || typeof jti !== "string") {
        throw invalid();
      }
      // Only well-formed ids reach the database, so a junk claim can never become a SQL error.
      if (!UUID.test(sub) || !UUID.test(sid)) throw invalid();
      cache.set(token, { sub, sid, exp, notBefore: Math.max(iat, nbf ?? iat), kid });
      return { sub, sid, exp };
    },
  };
}
