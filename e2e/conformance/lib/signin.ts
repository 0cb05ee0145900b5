import type { ConformanceContext } from "../context.ts";
import { describe, fail } from "./expect.ts";
import { errorOf } from "./payloads.ts";
import { PER_ADDRESS_LIMIT } from "./signin-budget.ts";
import type { ApiResponse } from "./trpc-http.ts";

/** The path of auth.signin as clients normally call it. */
export const SIGNIN_PATH = "/api/trpc/auth.signin";

/**
 * POSTs credentials to `target` (default the canonical path), optionally with extra headers.
 *
 * @example await attemptSignin(ctx, { email, password: "wrong" }, { headers: { "x-forwarded-for": "203.0.113.9" } });
 */
export function attemptSignin(
  ctx: ConformanceContext,
  credentials: { email: string; password: string },
  options: { target?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse> {
  return ctx.api.send(options.target ?? SIGNIN_PATH, {
    method: "POST",
    headers: { "content-type": "application/json", ...options.headers },
    body: JSON.stringify(credentials),
  });
}

/**
 * Fails unless this is a plain wrong-credentials 401. A 429 here, on an account that cannot be
 * throttled yet, means the shared client address ran out of attempts: say so.
 */
export function expectInvalidCredentials(ctx: ConformanceContext, response: ApiResponse): void {
  if (response.status === 429) {
    fail(
      `429 before the account's limit (--max-failures ${ctx.options.maxFailures}): either that does not match the server, ` +
        `or this client address is throttled (${ctx.failedSignins()} failed sign-ins this run; the server allows ` +
        `${PER_ADDRESS_LIMIT} per 15 min per address: restart it or wait). ${describe(response)}`,
    );
  }
  if (response.status !== 401 || errorOf(response).data.authCode !== "INVALID_CREDENTIALS") {
    fail(`expected 401 INVALID_CREDENTIALS, got ${describe(response)}`);
  }
}

/**
 * Fails unless the response is 429 RATE_LIMITED with a numeric, positive `Retry-After` header.
 *
 * @example expectRateLimited(await attemptSignin(ctx, user));
 */
export function expectRateLimited(response: ApiResponse): void {
  if (response.status !== 429) fail(`expected 429, got ${describe(response)}`);
  const { data } = errorOf(response);
  if (data.authCode !== "RATE_LIMITED") fail(`expected authCode RATE_LIMITED, got ${String(data.authCode)}`);
  const retryAfter = response.headers.get("retry-after") ?? "";
  if (!/^\d+$/.test(retryAfter) || Number(retryAfter) < 1) fail(`expected a numeric Retry-After header, got "${retryAfter}"`);
}
