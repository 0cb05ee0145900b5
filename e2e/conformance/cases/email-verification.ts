// Email verification: a verification link works once, for verification only, and no other
// token (a reset token, say) verifies an address.
import { defineGroup } from "../conformance-case.ts";
import { describe, fail } from "../lib/expect.ts";
import { expectLinkRefused, mailedToken, resetToken } from "../lib/mailed-links.ts";
import { authPayloadOf, resultOf } from "../lib/payloads.ts";
import { callMe } from "../lib/probe.ts";
import { registerUser, signinUser, strongPassword, uniqueEmail } from "../lib/users.ts";
import { isRecord } from "../lib/json.ts";

async function emailVerified(ctx: Parameters<typeof callMe>[0], accessToken: string): Promise<unknown> {
  const me = resultOf(await callMe(ctx, accessToken));
  return isRecord(me) ? me.emailVerified : undefined;
}

/** Registration mails a verification link; these cases read it from the suite's SMTP server. */
export const emailVerificationCases = defineGroup("email verification", [
  {
    name: "a verification link verifies the address once; a second use is LINK_USED",
    needs: ["mail"],
    run: async (ctx) => {
      const since = Date.now();
      const user = await registerUser(ctx, { email: uniqueEmail("verify") });
      const token = await mailedToken(ctx, { email: user.email, kind: "verify", since });
      if ((await emailVerified(ctx, user.accessToken)) !== false) fail("auth.me does not say emailVerified: false before the link is used");
      const result = resultOf(await ctx.api.mutation("auth.verifyEmail", { token }));
      if (!isRecord(result) || result.status !== "verified" || result.email !== user.email) {
        fail(`expected { status: "verified", email: "${user.email}" }, got ${JSON.stringify(result)}`);
      }
      if ((await emailVerified(ctx, user.accessToken)) !== true) fail("auth.me does not say emailVerified: true after the link");
      expectLinkRefused(await ctx.api.mutation("auth.verifyEmail", { token }), ["LINK_USED"], "a second use");
    },
  },
  {
    name: "a reset token is not a verification token, and a verification token is not a reset token",
    needs: ["mail"],
    run: async (ctx) => {
      const since = Date.now();
      const user = await registerUser(ctx, { email: uniqueEmail("types") });
      const verifyToken = await mailedToken(ctx, { email: user.email, kind: "verify", since });
      const reset = await resetToken(ctx, user.email);
      expectLinkRefused(await ctx.api.mutation("auth.verifyEmail", { token: reset }), ["LINK_INVALID"], "a reset token as a verification token");
      expectLinkRefused(
        await ctx.api.mutation("auth.resetPassword", { token: verifyToken, password: strongPassword() }),
        ["LINK_INVALID"],
        "a verification token as a reset token",
      );
      if ((await emailVerified(ctx, user.accessToken)) !== false) fail("a reset token verified the address");
      await signinUser(ctx, user);
      // Refused for the wrong purpose, each still works for its own.
      resultOf(await ctx.api.mutation("auth.verifyEmail", { token: verifyToken }));
      authPayloadOf(await ctx.api.mutation("auth.resetPassword", { token: reset, password: strongPassword() }));
    },
  },
  {
    name: "made-up and malformed verification tokens are refused with a 4xx, never a 500",
    run: async (ctx) => {
      for (const token of [Buffer.alloc(32, 9).toString("base64url"), "", "x".repeat(10_000), "not base64url!"]) {
        const response = await ctx.api.mutation("auth.verifyEmail", { token });
        if (response.status < 400 || response.status >= 500) fail(`verifyEmail(${JSON.stringify(token.slice(0, 20))}) answered ${describe(response)}`);
      }
      expectLinkRefused(await ctx.api.mutation("auth.verifyEmail", { token: Buffer.alloc(32, 9).toString("base64url") }), ["LINK_INVALID"]);
    },
  },
]);
