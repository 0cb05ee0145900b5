import type { ConformanceContext } from "../context.ts";
import { describe, fail } from "./expect.ts";
import { errorOf, publicUserOf, resultOf } from "./payloads.ts";
import type { ApiResponse } from "./trpc-http.ts";

/** How a 401 must look, beyond its status. */
export interface Rejection {
  /** The `authCode` the API must give, when the reason is certain. */
  authCode?: string;
  /**
   * The `WWW-Authenticate` expected (RFC 6750 §3): `invalid_token` when a token was presented,
   * `any` when the server may fairly see no token at all (unparseable header), `unchecked` for
   * public procedures (refresh), which send none. Default `invalid_token`.
   */
  challenge?: "invalid_token" | "any" | "unchecked";
}

/**
 * Fails unless the response is a clean 401 from a protected procedure: never 200, never 5xx.
 *
 * @example expectUnauthorized(await api.query("auth.me", { token }), { authCode: "TOKEN_EXPIRED" });
 */
export function expectUnauthorized(response: ApiResponse, expected: Rejection = {}): void {
  if (response.status !== 401) fail(`expected 401, got ${describe(response)}`);
  const { data } = errorOf(response);
  if (expected.authCode !== undefined && data.authCode !== expected.authCode) {
    fail(`expected authCode ${expected.authCode}, got ${String(data.authCode)}: ${describe(response)}`);
  }
  const expectedChallenge = expected.challenge ?? "invalid_token";
  if (expectedChallenge === "unchecked") return;
  const challenge = response.headers.get("www-authenticate") ?? "";
  if (!/^Bearer\b/i.test(challenge)) fail(`401 without a Bearer WWW-Authenticate challenge (got "${challenge}")`);
  if (expectedChallenge === "invalid_token" && !/error="invalid_token"/.test(challenge)) {
    fail(`expected WWW-Authenticate with error="invalid_token", got "${challenge}"`);
  }
}

/** GET auth.me with `Authorization: Bearer <token>`: the suite's protected probe. */
export function callMe(ctx: ConformanceContext, token: string): Promise<ApiResponse> {
  return ctx.api.query("auth.me", { token });
}

/**
 * Presents `token` to `auth.me` and fails unless it is refused with 401.
 *
 * @example await expectTokenRejected(ctx, forged, { authCode: "TOKEN_INVALID" });
 */
export async function expectTokenRejected(ctx: ConformanceContext, token: string, expected: Rejection = {}): Promise<void> {
  expectUnauthorized(await callMe(ctx, token), expected);
}

/**
 * Presents `token` to `auth.me` and fails unless it is accepted as `userId`'s.
 *
 * @example await expectTokenAccepted(ctx, alice.accessToken, alice.id);
 */
export async function expectTokenAccepted(ctx: ConformanceContext, token: string, userId: string): Promise<void> {
  expectUser(await callMe(ctx, token), userId);
}

/**
 * Fails unless an `auth.me` response is 200 for `userId`.
 *
 * @example expectUser(await api.query("auth.me", { headers: { authorization: `bearer ${token}` } }), alice.id);
 */
export function expectUser(response: ApiResponse, userId: string): void {
  const user = publicUserOf(resultOf(response));
  if (user.id !== userId) fail(`auth.me answered user ${user.id}, expected ${userId}`);
}
