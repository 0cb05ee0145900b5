import { type APIRequestContext, type BrowserContext, expect, type Page } from "@playwright/test";

/** The access tokens handed to a page or context, newest last. */
export interface AccessTokenWatch {
  /** Resolves once the server refuses the newest token as `TOKEN_EXPIRED`. */
  expired(request: APIRequestContext): Promise<void>;
}

const ISSUING = /\/api\/trpc\/auth\.(register|signin|refresh|resetPassword)(\?|$)/;

async function authCodeFor(request: APIRequestContext, token: string): Promise<string | null> {
  const response = await request.get("/api/trpc/auth.me", { headers: { authorization: `Bearer ${token}` } });
  if (response.ok()) return null;
  const body = (await response.json().catch(() => null)) as { error?: { data?: { authCode?: string } } } | null;
  return body?.error?.data?.authCode ?? `HTTP ${response.status()}`;
}

/**
 * Notes every access token the API hands `target`, so a spec can wait for the one the page holds
 * to expire on the server's clock: asked of the server itself, rather than sleeping for the
 * lifetime plus a margin that a loaded machine might not honour.
 *
 * @example const tokens = watchAccessTokens(page); ...; await tokens.expired(request);
 */
export function watchAccessTokens(target: Page | BrowserContext): AccessTokenWatch {
  const tokens: string[] = [];
  target.on("response", (response) => {
    if (!ISSUING.test(response.url())) return;
    void response
      .json()
      .then((body: unknown) => {
        const items = Array.isArray(body) ? body : [body];
        for (const item of items as { result?: { data?: { accessToken?: unknown } } }[]) {
          const token = item.result?.data?.accessToken;
          if (typeof token === "string") tokens.push(token);
        }
      })
      .catch(() => {});
  });
  return {
    async expired(request) {
      await expect.poll(() => tokens.length, { message: "no access token was handed to the page" }).toBeGreaterThan(0);
      const newest = tokens[tokens.length - 1] ?? "";
      await expect
        .poll(() => authCodeFor(request, newest), { message: "the page's access token never expired", timeout: 30_000, intervals: [250] })
        .toBe("TOKEN_EXPIRED");
    },
  };
}
