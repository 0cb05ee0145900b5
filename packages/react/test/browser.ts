import type { SessionLocks } from "../src/client.ts";

/** What one browser's requests did, by tRPC path (`auth.refresh`, `auth.me`, ...). */
export interface Browser {
  /** A fetch that keeps this browser's cookies, as a browser does for the page. */
  fetch: typeof globalThis.fetch;
  /** The Web Locks all tabs of this browser share. */
  locks: SessionLocks;
  /** The session channel's name: tabs of one browser share it, browsers never do. */
  name: string;
  /** How many requests went to each procedure (a batch counts once per procedure in it). */
  calls(path: string): number;
  /** The headers of the last request to each procedure, as the server got them. */
  lastHeaders(path: string): Headers | undefined;
  /** While set, requests to `path` fail as a dropped connection does: no answer at all. */
  unreachable: Set<string>;
  /** Runs after each answer to `path`, e.g. to move the server's clock. */
  after: Map<string, () => void>;
}

let browsers = 0;

function pathsOf(url: string): string[] {
  const last = new URL(url).pathname.split("/").at(-1) ?? "";
  return last.split(",");
}

/**
 * Web Locks for one browser in one process: exclusive, first come first served, with
 * `ifAvailable`. Node has no `navigator.locks` before version 24.
 */
function createLocks(): SessionLocks {
  const locks = new Map<string, { held: boolean; waiters: (() => void)[] }>();
  return {
    async request(name, options, callback) {
      const lock = locks.get(name) ?? { held: false, waiters: [] };
      locks.set(name, lock);
      if (lock.held) {
        if (options.ifAvailable) return callback(null);
        // Woken by the holder's release, which hands the lock over without letting go of it.
        await new Promise<void>((resolve) => lock.waiters.push(resolve));
      }
      lock.held = true;
      try {
        return await callback({ name });
      } finally {
        const next = lock.waiters.shift();
        if (next) next();
        else lock.held = false;
      }
    },
  };
}

/**
 * One browser: a cookie jar, shared Web Locks and a session channel of its own. Session clients
 * created with its `fetch`, `locks` and `name` are its tabs.
 *
 * @example const browser = createBrowser(); createSessionClient({ url, ...browser });
 */
export function createBrowser(): Browser {
  const jar = new Map<string, string>();
  const counts = new Map<string, number>();
  const sentHeaders = new Map<string, Headers>();
  const unreachable = new Set<string>();
  const after = new Map<string, () => void>();
  browsers += 1;

  const browserFetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const paths = pathsOf(request.url);
    for (const path of paths) counts.set(path, (counts.get(path) ?? 0) + 1);
    if (paths.some((path) => unreachable.has(path))) throw new TypeError("fetch failed");
    const headers = new Headers(request.headers);
    if (jar.size > 0) headers.set("cookie", [...jar].map(([key, value]) => `${key}=${value}`).join("; "));
    for (const path of paths) sentHeaders.set(path, headers);
    const response = await fetch(new Request(request, { headers }));
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = cookie.split(";");
      const separator = pair.indexOf("=");
      const key = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      const cleared = value === "" || attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute));
      if (cleared) jar.delete(key);
      else jar.set(key, value);
    }
    for (const path of paths) after.get(path)?.();
    return response;
  };

  return {
    fetch: browserFetch,
    locks: createLocks(),
    name: `test-browser-${process.pid}-${browsers}`,
    calls: (path) => counts.get(path) ?? 0,
    lastHeaders: (path) => sentHeaders.get(path),
    unreachable,
    after,
  };
}
