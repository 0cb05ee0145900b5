import { createVerifier, type RevocationOptions, type Verifier } from "@bearer-kit/auth/verify";
import type { NotesEnv } from "./env.ts";

/** Where the web app serves its feed: NOTES_SECURITY_EVENTS_URL, else beside its JWKS. */
export function securityEventsURL(env: Pick<NotesEnv, "NOTES_JWKS_URL" | "NOTES_SECURITY_EVENTS_URL">): string {
  return env.NOTES_SECURITY_EVENTS_URL ?? new URL("/api/security-events/poll", new URL(env.NOTES_JWKS_URL).origin).href;
}

/**
 * Where clients reach the service, which DPoP proofs name: NOTES_URL (the web app's own setting,
 * path prefix included), else localhost on NOTES_PORT. Never the Host header, which a proxy may
 * rewrite and a client may forge.
 *
 * @example notesPublicURL(loadNotesEnv({ NOTES_PORT: "3001" })) // "http://localhost:3001"
 */
export function notesPublicURL(env: Pick<NotesEnv, "NOTES_URL" | "NOTES_PORT">): string {
  return (env.NOTES_URL ?? `http://localhost:${env.NOTES_PORT}`).replace(/\/+$/, "");
}

/**
 * The notes service's token verifier, from its environment. With NOTES_RECEIVER_CREDENTIAL it
 * follows the web app's security-event feed, so a signed-out session's token is refused here
 * too, and it fails closed (503 `REVOCATION_UNAVAILABLE`) while the feed has been unreachable
 * for over a minute: notes holds private data, so "maybe revoked" is not good enough. DPoP-bound
 * tokens need a proof of their key.
 *
 * @example const verifier = createNotesVerifier(loadNotesEnv(), { onWarning: console.warn });
 */
export function createNotesVerifier(env: NotesEnv, options: Pick<RevocationOptions, "onWarning"> = {}): Verifier {
  const credential = env.NOTES_RECEIVER_CREDENTIAL;
  return createVerifier({
    jwksUrl: env.NOTES_JWKS_URL,
    issuer: env.NOTES_ISSUER,
    audience: env.NOTES_AUDIENCE,
    leeway: env.NOTES_TOKEN_LEEWAY,
    // A retired key's tokens are refused here within 30 s, as they are in the web app itself.
    cacheMaxAge: "30s",
    ...(credential === undefined ? {} : { revocations: { url: securityEventsURL(env), credential, ...options } }),
  });
}
