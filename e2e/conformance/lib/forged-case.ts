import type { ConformanceContext } from "../context.ts";
import { expectTokenRejected, type Rejection } from "./probe.ts";
import { registerUser, type TestUser } from "./users.ts";

/** Builds the token a case presents, for a freshly registered victim. */
export type TokenBuilder = (ctx: ConformanceContext, victim: TestUser) => string | Promise<string>;

/**
 * A case body: register a victim, forge a token for them, and require `auth.me` to refuse it
 * with 401. A real victim matters: an accepted forgery must be able to name a live session.
 *
 * @example { name: "wrong key", run: rejectsToken((ctx, victim) => signJWT(header, claims, attackerSigner)) }
 */
export function rejectsToken(build: TokenBuilder, expected: Rejection = {}): (ctx: ConformanceContext) => Promise<void> {
  return async (ctx) => {
    const victim = await registerUser(ctx);
    await expectTokenRejected(ctx, await build(ctx, victim), expected);
  };
}
