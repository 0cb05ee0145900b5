import type { ApiResponse } from "./trpc-http.ts";

/**
 * Fails the current case with `message`.
 *
 * @example if (ids.size !== 1) fail(`expected one successor, got ${ids.size}`);
 */
export function fail(message: string): never {
  throw new Error(message);
}

/**
 * A response in one line for failure messages: status, then the body cut short.
 *
 * @example describe(response) // 'HTTP 500 {"error":{"message":"Internal server error",...'
 */
export function describe(response: ApiResponse): string {
  const body = response.text.length > 300 ? `${response.text.slice(0, 300)}...` : response.text;
  return `HTTP ${response.status} ${body.replace(/\s+/g, " ")}`;
}

/**
 * Fails unless the status is `expected` (or one of them).
 *
 * @example expectStatus(response, [400, 404], "a path variant");
 */
export function expectStatus(response: ApiResponse, expected: number | readonly number[], what = "the response"): void {
  const allowed = typeof expected === "number" ? [expected] : expected;
  if (!allowed.includes(response.status)) fail(`expected ${what} to be ${allowed.join(" or ")}, got ${describe(response)}`);
}

/** Fails unless `ms` is under `limit`, the bound on how long a refusal may take. */
export function expectFast(ms: number, limit: number, what: string): void {
  if (ms >= limit) fail(`${what} took ${Math.round(ms)} ms (limit ${limit} ms)`);
}
