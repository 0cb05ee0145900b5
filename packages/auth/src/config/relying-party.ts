/**
 * The WebAuthn relying party: the RP ID passkeys are scoped to and the origins allowed to use
 * them. By default both come from `appUrl` (its host, its origin); several origins share one RP
 * ID when it is a registrable suffix of each of their hosts (`example.com` for
 * `https://app.example.com` and `https://www.example.com`).
 *
 * A configured RP ID or origin list that does not fit is refused at start, not at the first
 * ceremony: a browser would reject every passkey of a wrong RP ID, and an RP ID that is a public
 * suffix (`com`, `github.io`) would let every site under it claim our users' passkeys. An
 * `appUrl` that cannot host passkeys at all (an IP address, plain http off localhost) with
 * nothing configured only turns passkeys off: the rest of the app works as before.
 */
import { parse } from "tldts";

export interface RelyingParty {
  /** The RP ID: a domain, e.g. `example.com` or `localhost`. */
  id: string;
  /** Shown by the browser and the authenticator next to the account name. */
  name: string;
  /** The exact origins (`https://app.example.com`) whose ceremonies are accepted. */
  origins: readonly string[];
}

export interface RelyingPartyOptions {
  /** Defaults to `appUrl`'s host. */
  rpId?: string | undefined;
  /** Defaults to `[appUrl's origin]`. */
  origins?: readonly string[] | undefined;
  /** Default `bearer-kit`. */
  rpName?: string | undefined;
}

const LOCALHOST = /^(?:.+\.)?localhost$/;

/** Why `origin` cannot host passkeys of `rpId`, or `null` when it can. */
function originProblem(origin: string, rpId: string): string | null {
  const url = URL.parse(origin);
  if (!url || !/^https?:$/.test(url.protocol) || url.origin !== origin) {
    return `"${origin}" is not an origin (scheme://host[:port], no path)`;
  }
  // Browsers offer WebAuthn only in a secure context: https, or http on localhost.
  if (url.protocol === "http:" && !LOCALHOST.test(url.hostname)) return `"${origin}" must use https (http only for localhost)`;
  const host = url.hostname;
  if (host !== rpId && !host.endsWith(`.${rpId}`)) return `the RP ID "${rpId}" is not ${host} or a suffix of it`;
  return null;
}

/** Why `rpId` cannot be an RP ID, or `null` when it can. */
function rpIdProblem(rpId: string): string | null {
  if (LOCALHOST.test(rpId)) return null;
  const parsed = parse(rpId, { allowPrivateDomains: true });
  if (parsed.isIp) return `the RP ID "${rpId}" is an IP address; WebAuthn needs a domain`;
  // The PSL with private domains, as browsers use it: `github.io` is as public as `com`.
  if (parsed.domain === null || parsed.hostname !== rpId) return `the RP ID "${rpId}" is a public suffix, not a registrable domain`;
  return null;
}

/**
 * The relying party for `appUrl` and the overrides; `null` (passkeys off) when nothing was
 * configured and `appUrl` cannot host passkeys; a `TypeError` saying what is wrong when the
 * configured values do not fit.
 *
 * @example
 * resolveRelyingParty("https://app.example.com", { rpId: "example.com", origins: ["https://app.example.com", "https://www.example.com"] });
 */
export function resolveRelyingParty(appUrl: string, options: RelyingPartyOptions = {}): RelyingParty | null {
  const app = new URL(appUrl);
  const id = (options.rpId ?? app.hostname).toLowerCase();
  const origins = options.origins && options.origins.length > 0 ? [...options.origins] : [app.origin];
  const problem = rpIdProblem(id) ?? origins.map((origin) => originProblem(origin, id)).find((found) => found !== null) ?? null;
  const configured = options.rpId !== undefined || (options.origins?.length ?? 0) > 0;
  if (problem && configured) throw new TypeError(`auth: passkeys: ${problem}`);
  if (problem) return null;
  return Object.freeze({ id, name: options.rpName ?? "bearer-kit", origins: Object.freeze(origins) });
}
