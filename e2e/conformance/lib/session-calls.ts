import type { ConformanceContext } from "../context.ts";
import { describe, fail } from "./expect.ts";
import { authPayloadOf } from "./payloads.ts";
import { expectUnauthorized, type Rejection } from "./probe.ts";
import type { ApiResponse } from "./trpc-http.ts";
import { sessionOf, type TestSession } from "./users.ts";

/** POST auth.refresh with the token in the body (the default, non-cookie transport). */
export function refresh(ctx: ConformanceContext, refreshToken: string): Promise<ApiResponse> {
  return ctx.api.mutation("auth.refresh", { refreshToken });
}

/**
 * Rotates `refreshToken`; fails the case unless the server answers a new pair.
 *
 * @example const next = await rotate(ctx, alice.refreshToken);
 */
export async function rotate(ctx: ConformanceContext, refreshToken: string): Promise<TestSession> {
  return sessionOf(authPayloadOf(await refresh(ctx, refreshToken)));
}

/**
 * Fails unless `refreshToken` is refused with 401 (refresh is public: no challenge expected).
 *
 * @example await expectRefreshRefused(ctx, stolen, { authCode: "REFRESH_REUSED" });
 */
export async function expectRefreshRefused(ctx: ConformanceContext, refreshToken: string, expected: Rejection = {}): Promise<void> {
  expectUnauthorized(await refresh(ctx, refreshToken), { ...expected, challenge: "unchecked" });
}

/**
 * Calls a protected mutation as `session`; fails the case unless it answers 200.
 *
 * @example await mutateAs(ctx, alice, { path: "auth.logout", input: { everywhere: true } });
 */
export async function mutateAs(ctx: ConformanceContext, session: Pick<TestSession, "accessToken">, call: { path: string; input: unknown }): Promise<ApiResponse> {
  const response = await ctx.api.mutation(call.path, call.input, { token: session.accessToken });
  if (response.status !== 200) fail(`${call.path} failed: ${describe(response)}`);
  return response;
}
