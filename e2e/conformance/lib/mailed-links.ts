import type { ConformanceContext } from "../context.ts";
import { describe, fail } from "./expect.ts";
import { errorOf } from "./payloads.ts";
import type { ApiResponse } from "./trpc-http.ts";

/** The subjects the deployment's mail uses, one per kind of link. */
export const SUBJECTS = {
  reset: "Reset your password",
  verify: "Verify your email address",
} as const;

/**
 * The token of the newest `kind` link mailed to `email` since `since` (`Date.now()`), read from
 * the suite's SMTP server: the link's fragment, `…#token=<token>`.
 *
 * @example const token = await mailedToken(ctx, { email, kind: "reset", since });
 */
export async function mailedToken(ctx: ConformanceContext, options: { email: string; kind: keyof typeof SUBJECTS; since: number }): Promise<string> {
  const mail = await ctx.mail().waitFor({ to: options.email, subject: SUBJECTS[options.kind], since: options.since });
  for (const link of mail.links) {
    const token = new URLSearchParams(new URL(link).hash.slice(1)).get("token");
    if (token) return token;
  }
  return fail(`the "${mail.subject}" mail to ${options.email} has no link with #token=: ${JSON.stringify(mail.links)}`);
}

/**
 * Asks for a reset link for `email` and returns its token from the mail.
 *
 * @example const token = await resetToken(ctx, alice.email);
 */
export async function resetToken(ctx: ConformanceContext, email: string): Promise<string> {
  const since = Date.now();
  const response = await ctx.api.mutation("auth.requestPasswordReset", { email });
  if (response.status !== 200) fail(`auth.requestPasswordReset failed: ${describe(response)}`);
  return mailedToken(ctx, { email, kind: "reset", since });
}

/**
 * Fails unless a link was refused cleanly: a 4xx with `authCode` one of `codes`. Never a 200 or 5xx.
 *
 * @example expectLinkRefused(await ctx.api.mutation("auth.verifyEmail", { token }), ["LINK_USED"]);
 */
export function expectLinkRefused(response: ApiResponse, codes: readonly string[], what = "the link"): void {
  if (response.status < 400 || response.status >= 500) fail(`expected ${what} to be refused with a 4xx, got ${describe(response)}`);
  const { authCode } = errorOf(response).data;
  if (authCode === null || !codes.includes(authCode)) fail(`expected ${what} to be refused with ${codes.join(" or ")}, got ${describe(response)}`);
}
