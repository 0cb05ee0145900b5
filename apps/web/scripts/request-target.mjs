// Which request targets the start server refuses with 400 before Next.js sees them. Next answers
// some with a 500 (`/api/trpc/%zz`: its route matching decodes the path and throws), and the
// API reference (docs/errors.md) promises that no client input produces one.

import { URL } from "node:url";

const PROBE_BASE = "http://request-target.invalid";

/**
 * True when `target` (a request line's target, `req.url`) is malformed:
 * - not origin-form (`/path?query`): `*`, `host:443`, and absolute-form (`http://host/path`),
 *   which only a proxy is sent; Next.js routes on the path and would misread one;
 * - refused by `new URL(target, base)`, as `//` and `//x:99999/...` are, which Next resolves;
 * - a path whose percent-encoding does not decode (`%zz`, a lone `%`, `%C0%AF`, not UTF-8).
 * The query is left to the route: URLSearchParams reads a bad escape as it is.
 *
 * @example isMalformedTarget("/api/trpc/auth.me%") // true
 * @example isMalformedTarget("/api/trpc/auth.me?input=%7B%7D") // false
 */
export function isMalformedTarget(target) {
  if (typeof target !== "string" || !target.startsWith("/")) return true;
  const url = URL.parse(target, PROBE_BASE);
  if (url === null) return true;
  // The path as sent, not as resolved: for "//host/x" the resolved one is "/x".
  const path = target.replace(/[?#].*$/s, "");
  try {
    decodeURIComponent(path);
    return false;
  } catch {
    return true;
  }
}
