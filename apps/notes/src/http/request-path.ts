const BASE = "http://notes.invalid";

/**
 * The path a request targets, or `null` when the target is malformed: the listener answers 400
 * rather than letting a parser throw into a 500 (`new URL("//x:99999/notes", base)` does).
 *
 * - origin-form (`/notes?x`): the path exactly as sent, so `//host/notes` is a path that is not
 *   `/notes`, never a host. It must also be what `new URL(target, base)` accepts, which refuses
 *   `//` and `//x:99999/...`: code that resolves it must not be handed a target that throws.
 * - absolute-form (`http://host/notes`), which RFC 9112 §3.2.2 obliges a server to accept: its path.
 * - anything else (`*`, `host:port`, `http://[`) is malformed, as is a path whose
 *   percent-encoding does not decode (`/notes%zz`, `/%C0%AF`).
 *
 * @example requestPath("/notes?limit=1") // "/notes"
 * @example requestPath("//x:99999/notes") // null
 */
export function requestPath(target: string | undefined): string | null {
  let url: URL | null = null;
  if (target?.startsWith("/")) url = URL.parse(target, BASE) && URL.parse(`${BASE}${target}`);
  else if (target !== undefined && /^https?:\/\//i.test(target)) url = URL.parse(target);
  if (url === null) return null;
  try {
    decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  return url.pathname;
}
