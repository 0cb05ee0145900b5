import type { BrowserContext, Page, Request } from "@playwright/test";

/** The live sign-out stream's URL (`auth.sessionEvents` over SSE). */
export const SESSION_EVENTS = (url: URL): boolean => url.pathname === "/api/trpc/auth.sessionEvents";

/**
 * Cuts the live sign-out stream, for specs of what happens without it: a tab that only learns of
 * an expired token or an ended session from its next call. With the stream, an idle tab gets a
 * fresh token as soon as the stream ends with its token, and hears of a revocation at once.
 *
 * @example await withoutSessionEvents(page); // this page's tabs refresh on demand only
 */
export async function withoutSessionEvents(target: Page | BrowserContext): Promise<void> {
  await target.route(SESSION_EVENTS, (route) => route.abort("connectionrefused"));
}

/**
 * How many live sign-out streams the page has open right now, for waiting until none is.
 *
 * @example const streams = openStreams(page); ...; await expect.poll(streams).toBe(0);
 */
export function openStreams(page: Page): () => number {
  const open = new Set<Request>();
  const closed = (request: Request) => open.delete(request);
  page.on("request", (request) => {
    if (SESSION_EVENTS(new URL(request.url()))) open.add(request);
  });
  page.on("requestfinished", closed);
  page.on("requestfailed", closed);
  return () => open.size;
}

/** Every access token the page was handed, and every request it made, to check none meets in a URL. */
export interface TokenLog {
  tokens: Set<string>;
  requests: Request[];
}

/**
 * Logs what a page sends and the access tokens the API hands it (`auth.register`, `auth.signin`,
 * `auth.refresh`), so a spec can prove no token ever travels in a URL.
 *
 * @example const log = logTokens(page); ...; expect(urlsCarryingTokens(log)).toEqual([]);
 */
export function logTokens(page: Page): TokenLog {
  const log: TokenLog = { tokens: new Set(), requests: [] };
  page.on("request", (request) => log.requests.push(request));
  page.on("response", (response) => {
    if (!/\/api\/trpc\/auth\.(register|signin|refresh)/.test(response.url())) return;
    void response
      .json()
      .then((body: { result?: { data?: { accessToken?: unknown } } }) => {
        const token = body.result?.data?.accessToken;
        if (typeof token === "string") log.tokens.add(token);
      })
      .catch(() => {});
  });
  return log;
}

/** The URLs of `log` that contain one of its tokens (or any part of one's signature). */
export function urlsCarryingTokens(log: TokenLog): string[] {
  const secrets = [...log.tokens].flatMap((token) => [token, token.split(".")[2] ?? token]);
  return log.requests.map((request) => request.url()).filter((url) => secrets.some((secret) => url.includes(secret)));
}
