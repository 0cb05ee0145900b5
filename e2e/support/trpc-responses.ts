import type { APIRequestContext } from "@playwright/test";
import type { TestUser } from "./new-user.ts";

/**
 * A tRPC error response as the API sends it (single call), for `route.fulfill`.
 *
 * @example await route.fulfill(trpcError(401, "TOKEN_INVALID"));
 */
export function trpcError(httpStatus: number, authCode: string): { status: number; contentType: string; body: string } {
  const error = { message: authCode, code: -32001, data: { code: "UNAUTHORIZED", httpStatus, authCode } };
  return { status: httpStatus, contentType: "application/json", body: JSON.stringify({ error }) };
}

/**
 * Registers `user` straight through the API, leaving no cookie in any browser.
 *
 * @example await registerThroughAPI(request, newUser());
 */
export async function registerThroughAPI(request: APIRequestContext, user: TestUser): Promise<void> {
  const response = await request.post("/api/trpc/auth.register", { data: user });
  if (!response.ok()) throw new Error(`register failed: ${response.status()} ${await response.text()}`);
}
