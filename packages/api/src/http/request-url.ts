const PROBE_BASE = "http://request-target.invalid";

/**
 * The URL a `node:http` request targets, on the origin its `Host` header names; `null` when the
 * target is malformed, which the listener answers with 400:
 * - origin-form (`/api/trpc/auth.me?x`) is kept exactly as sent, so `//host/path` stays a path
 *   and never becomes a host; it must also be what `new URL(target, base)` accepts (it refuses
 *   `//` and `//x:99999/...`), so no code that resolves it later throws.
 * - absolute-form (`http://host/path`, RFC 9112 §3.2.2): its path and query.
 * - anything else (`*`, `host:443`, `http://[`), a `Host` that makes no URL, and a path whose
 *   percent-encoding does not decode (`/api/trpc/%zz`, `%C0%AF`).
 *
 * @example requestURL("/api/trpc/auth.me", "localhost:3000")?.href // "http://localhost:3000/api/trpc/auth.me"
 * @example requestURL("//", "localhost:3000") // null
 */
export function requestURL(target: string | undefined, host: string): URL | null {
  let path: string | null = null;
  if (target?.startsWith("/")) path = URL.parse(target, PROBE_BASE) ? target : null;
  else if (target !== undefined && /^https?:\/\//i.test(target)) {
    const absolute = URL.parse(target);
    path = absolute ? `${absolute.pathname}${absolute.search}` : null;
  }
  // Concatenated, not `new URL(path, origin)`: a path starting "//" would otherwise become a host.
  const url = path === null ? null : URL.parse(`http://${host}${path}`);
  if (url === null) return null;
  try {
    decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  return url;
}
