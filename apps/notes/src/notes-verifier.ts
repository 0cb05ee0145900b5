import { createVerifier, type RevocationOptions, type Verifier } from "@bearer-kit/auth/verify";
import type { NotesEnv } from "./env.ts";

/** Where the web app serves its feed: NOTES_SECURITY_EVENTS_URL, else beside its JWKS. */
export function securityEventsURL(env: Pick<NotesEnv, "NOTES_JWKS_URL" | "NOTES_SECURITY_EVENTS_URL">): string {
  return env.NOTES_SECURITY_EVENTS_URL ?? new URL("/api/security-events/poll", new URL(env.NOTES_JWKS_URL).origin).href;
}

/**
 * The notes service's token verifier, from its environment. With NOTES_RECEIVER_CREDENTIAL it
 * follows the web app's security-event feed, so a signed-out session's token is refused here
 * too, and it fails closed (503 `REVOCATION_UNAVAILABLE`) while the feed has been unreachable
 * for over a minute: notes holds private data, so "maybe revoked" is not good enough.
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
