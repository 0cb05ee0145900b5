// Path variants of auth.signin must not be a way around its throttle: each variant is either
// not served (400/404) or served as auth.signin itself, and then counted like any attempt.
import { defineGroup } from "../conformance-case.ts";
import { describe, fail } from "../lib/expect.ts";
import { errorOf } from "../lib/payloads.ts";
import { attemptSignin, expectInvalidCredentials, expectRateLimited } from "../lib/signin.ts";
import type { ApiResponse } from "../lib/trpc-http.ts";
import { registerUser } from "../lib/users.ts";

const VARIANTS = [
  "//api/trpc/auth.signin",
  "/api/trpc/auth.signin/",
  "/api/trpc//auth.signin",
  "/api/trpc/auth%2Esignin",
  "/api/trpc/Auth.Signin",
] as const;

/**
 * "unserved" for a 400/404 refusal or a redirect (not followed: the canonical path it points to
 * is counted anyway); "served" for auth.signin's own answer; anything else fails.
 */
function classify(variant: string, response: ApiResponse): "served" | "unserved" {
  if ([301, 302, 307, 308, 400, 404].includes(response.status)) return "unserved";
  if (response.status === 401 || response.status === 429) {
    const { authCode } = errorOf(response).data;
    if (authCode === "INVALID_CREDENTIALS" || authCode === "RATE_LIMITED") return "served";
  }
  return fail(`${variant} answered neither 400/404/redirect nor as auth.signin: ${describe(response)}`);
}

/** Odd spellings of the auth.signin path versus its throttle. */
export const signinPathCases = defineGroup("signin", [
  {
    name: "path variants (//api, trailing /, //auth.signin, %2E, case) are refused, redirected or counted, never a bypass",
    run: async (ctx) => {
      const user = await registerUser(ctx);
      const wrong = { email: user.email, password: "wrong password" };
      const served: string[] = [];
      for (const variant of VARIANTS) {
        if (classify(variant, await attemptSignin(ctx, wrong, { target: variant })) === "served") served.push(variant);
      }
      // Spend what is left of the allowance on the canonical path: if a served variant was
      // not counted, the right password below would still get in.
      for (let attempt = served.length; attempt < ctx.options.maxFailures; attempt++) {
        expectInvalidCredentials(ctx, await attemptSignin(ctx, wrong));
      }
      expectRateLimited(await attemptSignin(ctx, user));
      for (const variant of served) {
        const response = await attemptSignin(ctx, user, { target: variant });
        if (response.status !== 429) fail(`${variant} let the right password past the lock: ${describe(response)}`);
      }
      ctx.note(`served as auth.signin: ${served.length > 0 ? served.join(" ") : "none"}`);
    },
  },
]);
