import { errors, type JWTVerifyGetKey, jwtVerify } from "jose";
import { AuthError } from "../errors.ts";
import { createDPoPBinding, type VerifyRequest } from "./dpop-binding.ts";
import { createKeySource } from "./key-source.ts";
import { startRevocationFeed } from "./revocation-feed.ts";
import { type VerifiedClaims, verifiedClaims } from "./verified-claims.ts";
import { resolveVerifierOptions, type VerifierOptions } from "./verifier-options.ts";

/** RFC 9068 access-token type: an ID token or any other JWT of the issuer's never passes as one. */
const TOKEN_TYPE = "at+jwt";
/** Longer than any token the issuer mints; refuses oversized input before any parsing. */
const MAX_TOKEN_LENGTH = 4096;

export interface Verifier {
  /**
   * Checks signature, algorithm, `typ`, `iss`, `aud`, `exp`, `nbf` and `iat`, and returns the
   * claims. Throws `AuthError`: `TOKEN_EXPIRED` (refresh and retry), `TOKEN_INVALID`, or
   * `JWKS_UNAVAILABLE` when the issuer's keys could not be fetched (retry later). With
   * `revocations`, also `SESSION_REVOKED` (sign in again) and `REVOCATION_UNAVAILABLE` while
   * the feed is stale (retry later).
   *
   * A DPoP-bound token (`cnf.jkt`, RFC 9449) passes only with `scheme: "DPoP"` and the request's
   * proof, signed by the bound key, for this method and URL, with `ath`, within the proof window
   * and never seen before; otherwise `TOKEN_INVALID` (bound token sent as Bearer, or unbound as
   * DPoP), `DPOP_PROOF_INVALID`, or `DPOP_NONCE_REQUIRED` under `dpop.requireNonce`.
   */
  verify(token: string, request?: VerifyRequest): Promise<VerifiedClaims>;
  /**
   * A fresh nonce to send as `DPoP-Nonce` (with a `use_dpop_nonce` refusal, or on any response);
   * proofs must carry one under `dpop.requireNonce`.
   */
  dpopNonce(): Promise<string>;
  /** Stops polling the revocation feed (nothing to stop without `revocations`). */
  close(): Promise<void>;
}

const invalid = (cause?: unknown) => new AuthError("TOKEN_INVALID", "The access token is invalid.", { cause });

/** Picks the key by `kid` only: a token without one would otherwise match any key of its type. */
function byKid(getKey: JWTVerifyGetKey): JWTVerifyGetKey {
  return (header, token) => {
    if (typeof header.kid !== "string" || header.kid === "") throw invalid();
    return getKey(header, token);
  };
}

/**
 * A verifier for the access tokens a bearer-kit app issues, from its public keys alone: no
 * secret, no database, no Node-only module, so it runs in edge runtimes too.
 *
 * Without `revocations` it cannot see revocation: a signed-out session's access token stays
 * valid here until `exp`. With them it polls the issuer's security-event feed and refuses a
 * revoked session's tokens within about a second of the revocation; while the feed cannot be
 * reached for longer than `maxStaleness` it fails closed (`REVOCATION_UNAVAILABLE`), unless
 * `failOpen`. Call `close()` to stop polling.
 *
 * @example
 * const verifier = createVerifier({
 *   jwksUrl: "https://app.example.com/.well-known/jwks.json",
 *   issuer: "bearer-kit",
 *   audience: "bearer-kit",
 * });
 * const { sub, sid } = await verifier.verify(token); // or AuthError TOKEN_EXPIRED / TOKEN_INVALID
 *
 * @example
 * // `Authorization: DPoP <token>` with a `DPoP` proof header; `url` as the service is reached publicly
 * const claims = await verifier.verify(token, { scheme: "DPoP", dpop: { proof, method: req.method, url } });
 *
 * @example
 * const verifier = createVerifier({
 *   jwksUrl: "https://app.example.com/.well-known/jwks.json",
 *   issuer: "bearer-kit",
 *   audience: "bearer-kit",
 *   revocations: { url: "https://app.example.com/api/security-events/poll", credential: receiverCredential },
 * });
 */
export function createVerifier(options: VerifierOptions): Verifier {
  const config = resolveVerifierOptions(options);
  const getKey = byKid(createKeySource(config));
  const dpop = createDPoPBinding(config.dpop);
  const feed =
    config.revocations &&
    startRevocationFeed({
      config: config.revocations,
      getKey,
      algorithms: config.algorithms,
      issuer: config.issuer,
      leeway: config.leeway,
      remoteKeys: config.source.kind === "remote",
      now: config.now,
    });

  return {
    async verify(token, request) {
      if (typeof token !== "string" || token.length > MAX_TOKEN_LENGTH) throw invalid();
      const now = config.now();
      let result;
      try {
        result = await jwtVerify(token, getKey, {
          // Pinned to asymmetric algorithms; each key is further pinned to its own `alg`.
          algorithms: [...config.algorithms],
          typ: TOKEN_TYPE,
          issuer: config.issuer,
          audience: config.audience,
          clockTolerance: config.leeway,
          currentDate: now,
          requiredClaims: ["exp", "iat", "sub", "sid", "iss", "aud", "jti"],
        });
      } catch (error) {
        if (error instanceof AuthError) throw error;
        if (error instanceof errors.JWTExpired) {
          throw new AuthError("TOKEN_EXPIRED", "The access token has expired.", { cause: error });
        }
        throw invalid(error);
      }
      const claims = verifiedClaims(result.payload, result.protectedHeader, Math.floor(now.getTime() / 1000) + config.leeway);
      if (!claims) throw invalid();
      feed?.check(claims);
      await dpop.check({ token, jkt: claims.cnf?.jkt, now }, request);
      return claims;
    },
    dpopNonce: () => dpop.nonce(config.now()),
    close: async () => feed?.close(),
  };
}
